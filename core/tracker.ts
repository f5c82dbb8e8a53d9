import { buildEvent } from './event';
import { getHub } from './hub';
import { attempt } from './safe';
import type { IdentityStitcher } from './stitch';
import { isChatAction, type ChatAction, type ChatEvent, type ChatEventFields } from './schema';

/** A place chat events go: `send` translates one event to its tool's conventions. */
export interface Destination {
  name: string;
  /** Tells two destinations of one kind apart (two dataLayers) for de-duplication. Default: `name`. */
  key?: string;
  /** Delivers one event to the tool; a throw counts as `failed` and does not reach the page. */
  send(event: ChatEvent): void;
  /** `false` while the tool has not loaded: events wait in a bounded buffer. Absent means always ready. */
  isReady?(): boolean;
  /** Called once at start with `flush`, to be called when the tool becomes ready. */
  onReady?(flush: () => void): void;
  /** The visitor's ids in this tool, for `stitchIdentities`: `{ segmentAnonymousId: '…' }`. */
  identity?(): Record<string, string | undefined>;
}

/** Ask a consent manager before each delivery: the tracker's `consent` option. */
export interface ConsentOptions {
  /** Whether analytics consent is granted now; asked before every delivery. */
  granted(): boolean;
  /** Called once at start with `update`, to be called whenever consent changes. */
  subscribe?(update: () => void): void;
  /** What to do with events while consent is not granted. Default `'hold'` (bounded by `bufferSize`). */
  whileDenied?: 'hold' | 'drop';
}

/** What `createChatTracker` takes: the destinations, and how to buffer, filter and consent. */
export interface TrackerOptions {
  destinations: Destination[];
  /** `true` logs to the console; a function receives every message. */
  debug?: boolean | ((message: string, detail?: unknown) => void);
  /** Events kept per destination while it is not ready, and while consent is held. Default 100. */
  bufferSize?: number;
  /** Kustomer payload fields to forward in `event.extra`, as paths (`'sentBy.type'`). Off by default: opt-in only. */
  allowFields?: string[];
  /** Remember reported conversations and unread counts in sessionStorage across page loads. Default true. */
  sessionMemory?: boolean;
  consent?: ConsentOptions;
  /**
   * Opt-in, with `identityStitching()`: when a conversation starts, write the visitor's analytics ids (from the
   * destinations) into it with `Kustomer.describeConversation`. Only ids go, and only to Kustomer.
   */
  stitchIdentities?: IdentityStitcher;
  /** The window to listen on. Default: the global window. */
  window?: Window;
}

/** Counts for one destination since the tracker was created. */
export interface DestinationStats {
  delivered: number;
  buffered: number;
  /** Events dropped because the buffer was full. */
  dropped: number;
  failed: number;
  duplicates: number;
}

/** What `tracker.stats()` returns: counts since the tracker was created, per destination. */
export interface TrackerStats {
  received: number;
  heldForConsent: number;
  droppedForConsent: number;
  /** Identity stitching that wrote nothing: a refused id or attribute name, or Kustomer's error. */
  stitchFailures: number;
  destinations: Record<string, DestinationStats>;
}

/** What `createChatTracker` returns. */
export interface ChatTracker {
  /** Starts listening to Kustomer. Calling it again does nothing. */
  start(): ChatTracker;
  /** Removes every listener and wrapper this tracker needed; events buffered stay for a later start. */
  stop(): void;
  /** Reports an action Kustomer has no web event for (`proactive_trigger`), or any other. */
  emit(action: ChatAction, fields?: ChatEventFields): ChatEvent | undefined;
  /** Counts of what was received, delivered, held and dropped (see docs/troubleshooting.md). */
  stats(): TrackerStats;
}

const PREFIX = '[kustomer-chat-analytics]';

function createDebug(option: TrackerOptions['debug']): (message: string, detail?: unknown) => void {
  if (typeof option === 'function') return (message, detail) => attempt(() => option(message, detail));
  // eslint-disable-next-line no-console
  return option ? (message, detail) => console.debug(PREFIX, message, detail ?? '') : () => {};
}

function pushBounded<T>(queue: T[], item: T, max: number): boolean {
  queue.push(item);
  if (queue.length <= max) return true;
  queue.shift();
  return false;
}

/**
 * Fans every chat event out to many destinations, each isolated: one that throws, is slow to load or never
 * loads leaves the others untouched, and what it misses is buffered (bounded) or counted, never lost silently.
 *
 * @example
 * const tracker = createChatTracker({ destinations: [gtmDataLayer(), segmentDestination()] }).start();
 * tracker.emit('proactive_trigger');
 */
export function createChatTracker(options: TrackerOptions): ChatTracker {
  const { bufferSize = 100, allowFields = [], consent } = options;
  const debug = createDebug(options.debug);
  const win = options.window ?? (typeof window !== 'undefined' ? window : undefined);
  const hub = win && getHub(win);
  const outlets = options.destinations.map((destination) => ({
    destination,
    queue: [] as ChatEvent[],
    // `buffered` is not counted: it is the queue's length.
    stats: { delivered: 0, dropped: 0, failed: 0, duplicates: 0 },
    retry: undefined as number | undefined,
    retries: 0,
  }));
  type Outlet = (typeof outlets)[number];
  const consentQueue: ChatEvent[] = [];
  let received = 0;
  let droppedForConsent = 0;
  let stitchFailures = 0;
  let unsubscribe: (() => void) | undefined;

  const send = (outlet: Outlet, event: ChatEvent) =>
    attempt(
      () => {
        outlet.destination.send(event);
        outlet.stats.delivered++;
      },
      (error) => {
        outlet.stats.failed++;
        debug(`${outlet.destination.name}: send failed`, error);
      },
    );

  const isReady = (outlet: Outlet) =>
    !outlet.destination.isReady || attempt(() => outlet.destination.isReady!(), (e) => debug('isReady failed', e)) === true;

  // Readiness first, then the queue's length: asking for readiness may itself flush the queue (an SDK whose
  // `ready` calls back at once), and the queue must be read after that, never before.
  const flush = (outlet: Outlet) => {
    while (isReady(outlet) && outlet.queue.length) send(outlet, outlet.queue.shift()!);
  };

  // An SDK that appears on the page later may announce nothing we can listen to: while events wait for it,
  // look again, less and less often (0.25 s doubling to 30 s). Nothing runs while nothing waits.
  const retryLater = (outlet: Outlet) => {
    if (outlet.retry !== undefined || !win) return;
    outlet.retry = win.setTimeout(() => {
      outlet.retry = undefined;
      attempt(() => flush(outlet));
      if (outlet.queue.length && unsubscribe) {
        outlet.retries++;
        retryLater(outlet);
      } else outlet.retries = 0;
    }, Math.min(30_000, 250 * 2 ** outlet.retries));
  };

  const deliver = (event: ChatEvent) => {
    for (const outlet of outlets) {
      if (hub && !hub.claim(outlet.destination.key ?? outlet.destination.name, event.id)) {
        outlet.stats.duplicates++;
        continue;
      }
      flush(outlet);
      if (isReady(outlet) && !outlet.queue.length) {
        send(outlet, event);
        continue;
      }
      if (!pushBounded(outlet.queue, event, bufferSize)) {
        outlet.stats.dropped++;
        debug(`${outlet.destination.name}: not ready and buffer full, oldest event dropped`);
      }
      retryLater(outlet);
    }
  };

  /** The visitor's ids from every destination, for identity stitching. */
  const identities = () => {
    // No prototype: an identity named "__proto__" stays a plain key (and is then refused as an attribute name).
    const all: Record<string, string | undefined> = Object.create(null);
    for (const { destination } of outlets) {
      Object.assign(all, attempt(() => destination.identity?.(), (e) => debug(`${destination.name}: identity failed`, e)));
    }
    return all;
  };

  const consentGranted = () => !consent || attempt(() => consent.granted(), (e) => debug('consent check failed', e)) === true;

  const releaseHeld = () => {
    if (consentGranted()) consentQueue.splice(0).forEach(deliver);
  };

  const accept = (event: ChatEvent) => {
    received++;
    if (consentGranted()) {
      releaseHeld();
      return deliver(event);
    }
    if (consent?.whileDenied === 'drop') {
      droppedForConsent++;
      return debug('no consent: event dropped', event.action);
    }
    if (!pushBounded(consentQueue, event, bufferSize)) {
      droppedForConsent++;
      debug('no consent and buffer full: oldest event dropped');
    }
  };

  const tracker: ChatTracker = {
    start() {
      if (unsubscribe) return tracker;
      if (!hub) {
        debug('no window: nothing to listen to');
        return tracker;
      }
      unsubscribe = hub.subscribe(
        {
          allowFields,
          event: (event) => {
            accept(event);
            if (options.stitchIdentities && event.action === 'conversation_started' && event.conversationId) {
              const stitch = options.stitchIdentities;
              const failed = () => void stitchFailures++;
              attempt(
                () => stitch({ window: win!, conversationId: event.conversationId!, identities, debug, failed }),
                (e) => (failed(), debug('stitchIdentities failed', e)),
              );
            }
          },
          debug,
        },
        { storage: options.sessionMemory === false ? false : undefined },
      );
      for (const outlet of outlets) attempt(() => outlet.destination.onReady?.(() => attempt(() => flush(outlet))), (e) => debug('onReady failed', e));
      attempt(() => consent?.subscribe?.(() => attempt(releaseHeld)), (e) => debug('consent subscribe failed', e));
      return tracker;
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      for (const outlet of outlets) {
        if (outlet.retry !== undefined) win?.clearTimeout(outlet.retry);
        outlet.retry = undefined;
      }
    },
    emit(action, fields) {
      return attempt(() => {
        if (!isChatAction(action)) {
          debug('emit: unknown action', action);
          return undefined;
        }
        const event = Object.freeze(buildEvent(action, fields, 'site'));
        accept(event);
        return event;
      }, (e) => debug('emit failed', e));
    },
    stats() {
      const destinations: Record<string, DestinationStats> = {};
      for (const { destination, queue, stats } of outlets) destinations[destination.name] = { ...stats, buffered: queue.length };
      return { received, heldForConsent: consentQueue.length, droppedForConsent, stitchFailures, destinations };
    },
  };
  return tracker;
}
