import { buildEvent } from './event';
import { EVENTS_BY_ORIGIN, satisfactionSubmitted, type MappedEvent } from './kustomer-events';
import { createMemory, type ChatMemory, type MemoryOptions } from './memory';
import { attempt, read, readPath } from './safe';
import type { AllowedValue, ChatEvent } from './schema';
import { wrapMethod } from './wrap';
import { CORE_GLOBAL, WIDGET_GLOBAL, watchSdk, type KustomerLike, type KustomerListener } from './watch-sdk';

/** A tracker listening to the hub: it gets every Kustomer event once, with the payload fields it opted in to. */
export interface HubSubscriber {
  event(event: ChatEvent): void;
  debug(message: string, detail?: unknown): void;
  /** Payload paths to copy into `event.extra` (`allowFields`): the raw payload itself never leaves the hub. */
  allowFields?: string[];
}

/**
 * The page-wide source of chat events, shared by every copy of this library on the page through a registered
 * symbol (the drop-in and a bundle, or two versions): one set of Kustomer listeners, one session memory, one
 * delivery per destination. Its shape is a protocol: change it only in ways older copies still understand.
 */
export interface Hub {
  subscribe(subscriber: HubSubscriber, memory?: MemoryOptions): () => void;
  /** True the first time `destinationKey` is given `eventId`: one delivery per destination, however many trackers. */
  claim(destinationKey: string, eventId: string): boolean;
}

type Origin = 'widget' | 'core';

/**
 * Kustomer passes `undefined` or an Error (possibly from the core's iframe, so not `instanceof` ours); any other
 * value is not an error. A value that throws when looked at (a revoked proxy) counts as one.
 */
function isError(error: unknown): boolean {
  return attempt(() => error instanceof Error || Object.prototype.toString.call(error) === '[object Error]') ?? true;
}

function pickAllowed(payload: unknown, paths: string[]): Record<string, AllowedValue> | undefined {
  let extra: Record<string, AllowedValue> | undefined;
  for (const path of paths) {
    const value = readPath(payload, path);
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') (extra ??= {})[path] = value;
  }
  return extra;
}

function createHub(win: Window): Hub {
  const subscribers = new Set<HubSubscriber>();
  const recentIds = boundedSet(500);
  const claims = new Map<string, ReturnType<typeof boundedSet>>();
  let memory: ChatMemory | undefined;
  let undos: Array<() => void> = [];
  // The Kustomer object each origin listens to. Listeners of a replaced or stopped one fall silent by themselves:
  // a `removeListener` that does nothing must not leave a second live listener.
  const listening: Partial<Record<Origin, { active: boolean; undo: () => void }>> = {};

  const debug = (message: string, detail?: unknown) => subscribers.forEach((s) => attempt(() => s.debug(message, detail)));

  const publish = (origin: Origin, name: string, mapped: MappedEvent | MappedEvent[] | string | undefined, payload: unknown) => {
    if (typeof mapped === 'string') return debug(`${name}: dropped, ${mapped}`);
    for (const one of mapped === undefined ? [] : Array.isArray(mapped) ? mapped : [mapped]) {
      // Agent messages come from the core's onMessageReceived, with their ids, once the core listens and speaks;
      // until then the widget's unread count is the only report of them.
      if (origin === 'widget' && one.action === 'message_received' && listening.core?.active) {
        debug(`${name}: left to KustomerCore's onMessageReceived`);
        continue;
      }
      const event = buildEvent(one.action, one.fields, origin, one.key);
      for (const field in one.fields) {
        if (one.fields[field] != null && event[field as keyof ChatEvent] === undefined) debug(`${name}: dropped invalid ${field}`);
      }
      if (one.once && event.conversationId) {
        if (memory!.get(`once:${event.id}`)) {
          debug(`${name}: already reported in this session`, event.id);
          continue;
        }
        memory!.set(`once:${event.id}`, 1);
      }
      if (!recentIds.add(event.id)) {
        debug(`${name}: duplicate`, event.id);
        continue;
      }
      Object.freeze(event);
      subscribers.forEach((s) =>
        attempt(() => {
          const extra = s.allowFields?.length ? pickAllowed(payload, s.allowFields) : undefined;
          // The library's own fields come last: `extra` can never overwrite them.
          s.event(extra ? Object.freeze({ ...event, extra }) : event);
        }, (e) => debug('subscriber failed', e)),
      );
    }
  };

  const attach = (origin: Origin) => (sdk: KustomerLike) => {
    listening[origin]?.undo();
    const entry = { active: true, undo: () => {} };
    const added: Array<[string, KustomerListener]> = [];
    debug(`listening to the Kustomer ${origin}`);
    for (const name of Object.keys(EVENTS_BY_ORIGIN[origin])) {
      const fn: KustomerListener = (payload, error) => {
        if (!entry.active) return;
        attempt(
          () => (isError(error) ? debug(`${name}: Kustomer reported an error`, error) : publish(origin, name, EVENTS_BY_ORIGIN[origin][name](payload, { memory: memory!, sdk }), payload)),
          (e) => debug(`${name}: payload dropped`, e),
        );
      };
      attempt(() => {
        sdk.addListener(name, fn);
        added.push([name, fn]);
      }, (e) => debug(`addListener(${name}) failed`, e));
    }
    // The rating comes back in the callback of the site's own submitSatisfactionForm call.
    const unwrap =
      origin === 'core'
        ? wrapMethod(sdk as unknown as Record<string, unknown>, 'submitSatisfactionForm', (response, error, args) => {
            if (!entry.active) return;
            if (isError(error)) return debug('submitSatisfactionForm: Kustomer reported an error', error);
            publish('core', 'submitSatisfactionForm', satisfactionSubmitted(response, read(args[0], 'rating')), response);
          })
        : () => {};
    entry.undo = () => {
      entry.active = false;
      unwrap();
      for (const [name, fn] of added) attempt(() => sdk.removeListener?.(name, fn));
    };
    listening[origin] = entry;
  };

  return {
    subscribe(subscriber, memoryOptions) {
      subscribers.add(subscriber);
      if (subscribers.size === 1) {
        memory = memory ?? createMemory({ ...memoryOptions, window: win, onError: debug });
        undos = [
          memory.watch(),
          watchSdk(win, WIDGET_GLOBAL, attach('widget'), (e) => debug('Kustomer widget watch failed', e)),
          watchSdk(win, CORE_GLOBAL, attach('core'), (e) => debug('KustomerCore watch failed', e)),
          () => {
            listening.widget?.undo();
            listening.core?.undo();
          },
        ];
      }
      return () => {
        if (!subscribers.delete(subscriber) || subscribers.size) return;
        undos.forEach((undo) => attempt(undo));
        undos = [];
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

const HUB_NAME = 'kustomer-chat-analytics.hub.v1';
// Where a page cannot hold the hub (no Symbol.for, a window that refuses new properties): one per library copy.
const localHubs = new WeakMap<Window, Hub>();

function isHub(value: unknown): value is Hub {
  return typeof (value as Hub | undefined)?.subscribe === 'function' && typeof (value as Hub).claim === 'function';
}

export function getHub(win: Window): Hub {
  const key = attempt(() => Symbol.for(HUB_NAME)) ?? HUB_NAME;
  const holder = win as unknown as Record<string | symbol, unknown>;
  const shared = attempt(() => holder[key]);
  if (isHub(shared)) return shared;
  const hub = localHubs.get(win) ?? createHub(win);
  const placed = attempt(() => {
    Object.defineProperty(holder, key, { value: hub, configurable: true });
    return true;
  });
  if (!placed) localHubs.set(win, hub);
  return hub;
}
