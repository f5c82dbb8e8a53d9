import { buildEvent } from './event';
import { EVENTS_BY_ORIGIN } from './kustomer-events';
import { createMemory, type ChatMemory, type MemoryOptions } from './memory';
import { attempt } from './safe';
import type { ChatEvent } from './schema';
import { CORE_GLOBAL, WIDGET_GLOBAL, watchSdk, type KustomerLike } from './watch-sdk';

/** A tracker listening to the hub: it gets every Kustomer event once, with the raw payload for `allowFields`. */
export interface HubSubscriber {
  event(event: ChatEvent, payload: unknown): void;
  debug(message: string, detail?: unknown): void;
}

export interface Hub {
  subscribe(subscriber: HubSubscriber, memory?: MemoryOptions): () => void;
  /** True the first time `destinationKey` is given `eventId`: one delivery per destination, however many trackers. */
  claim(destinationKey: string, eventId: string): boolean;
}

type Listener = (payload: unknown, error?: unknown) => void;

/**
 * Creates the page's one set of Kustomer listeners, attached while at least one tracker is subscribed.
 * It lives on `window` under a registered symbol, so that two copies of this library on one page (the drop-in
 * and a bundle, or the drop-in included twice) share it instead of stacking listeners.
 */
function createHub(win: Window): Hub {
  const subscribers = new Set<HubSubscriber>();
  const recentIds = boundedSet(500);
  const claims = new Map<string, ReturnType<typeof boundedSet>>();
  let memory: ChatMemory | undefined;
  let unwatch: Array<() => void> = [];
  const attached: Array<{ sdk: KustomerLike; name: string; fn: Listener; origin: 'widget' | 'core' }> = [];

  const debug = (message: string, detail?: unknown) => subscribers.forEach((s) => attempt(() => s.debug(message, detail)));

  const handle = (origin: 'widget' | 'core', name: string, payload: unknown) => {
    const mapped = EVENTS_BY_ORIGIN[origin][name](payload, memory!);
    if (typeof mapped === 'string') return debug(`${name}: dropped, ${mapped}`);
    if (!mapped) return;
    // With the headless core attached, agent messages come from its onMessageReceived, with their ids;
    // the widget's unread count would report them a second time.
    if (origin === 'widget' && mapped.action === 'message_received' && attached.some((entry) => entry.origin === 'core')) {
      return debug(`${name}: left to KustomerCore's onMessageReceived`);
    }
    const event = buildEvent(mapped.action, mapped.fields, origin, mapped.key);
    for (const field in mapped.fields) {
      if (mapped.fields[field] != null && event[field as keyof ChatEvent] === undefined) debug(`${name}: dropped invalid ${field}`);
    }
    if (mapped.once && event.conversationId) {
      if (memory!.get(`once:${event.id}`)) return debug(`${name}: already reported in this session`, event.id);
      memory!.set(`once:${event.id}`, 1);
    }
    if (!recentIds.add(event.id)) return debug(`${name}: duplicate`, event.id);
    Object.freeze(event);
    subscribers.forEach((s) => attempt(() => s.event(event, payload), (e) => debug('subscriber failed', e)));
  };

  const attach = (origin: 'widget' | 'core') => (sdk: KustomerLike) => {
    detach(origin);
    debug(`listening to the Kustomer ${origin}`);
    for (const name of Object.keys(EVENTS_BY_ORIGIN[origin])) {
      const fn: Listener = (payload, error) => {
        attempt(
          () => (error ? debug(`${name}: Kustomer reported an error`, error) : handle(origin, name, payload)),
          (e) => debug(`${name}: payload dropped`, e),
        );
      };
      attempt(() => {
        sdk.addListener(name, fn);
        attached.push({ sdk, name, fn, origin });
      }, (e) => debug(`addListener(${name}) failed`, e));
    }
  };

  const detach = (origin?: 'widget' | 'core') => {
    for (let i = attached.length - 1; i >= 0; i--) {
      const entry = attached[i];
      if (origin && entry.origin !== origin) continue;
      attempt(() => entry.sdk.removeListener(entry.name, entry.fn));
      attached.splice(i, 1);
    }
  };

  return {
    subscribe(subscriber, memoryOptions) {
      subscribers.add(subscriber);
      if (subscribers.size === 1) {
        memory = memory ?? createMemory({ ...memoryOptions, window: win, onError: (e) => debug('sessionStorage unavailable', e) });
        unwatch = [
          watchSdk(win, WIDGET_GLOBAL, attach('widget'), (e) => debug('Kustomer widget watch failed', e)),
          watchSdk(win, CORE_GLOBAL, attach('core'), (e) => debug('KustomerCore watch failed', e)),
        ];
      }
      return () => {
        if (!subscribers.delete(subscriber) || subscribers.size) return;
        unwatch.forEach((undo) => undo());
        unwatch = [];
        detach();
      };
    },
    claim(destinationKey, eventId) {
      let claimed = claims.get(destinationKey);
      if (!claimed) claims.set(destinationKey, (claimed = boundedSet(500)));
      return claimed.add(eventId);
    },
  };
}

/**
 * A set of the last `max` keys, for de-duplication: a ring of keys beside the Set evicts the oldest in
 * constant time, on the per-event path.
 */
function boundedSet(max: number) {
  const keys = new Set<string>();
  const ring: string[] = [];
  let next = 0;
  return {
    /** Adds `key`; `false` when it was already there. */
    add(key: string): boolean {
      if (keys.has(key)) return false;
      if (ring.length === max) keys.delete(ring[next]);
      ring[next] = key;
      next = (next + 1) % max;
      keys.add(key);
      return true;
    },
  };
}

const HUB = Symbol.for('kustomer-chat-analytics.hub.v1');

export function getHub(win: Window): Hub {
  const holder = win as unknown as { [HUB]?: Hub };
  if (!holder[HUB]) Object.defineProperty(holder, HUB, { value: createHub(win), configurable: true });
  return holder[HUB]!;
}
