import { DEBUG_BUILD } from './debug-build';
import { attempt } from './safe';
import type { ChatEvent } from './schema';
import type { Debug, Destination, DestinationStats, Undo } from './types';
import { asUndo } from './undo';

/** Options of an outlet: its buffer, its window (for retry timers), and the page-wide de-duplication. */
export interface OutletOptions {
  bufferSize: number;
  debug: Debug;
  window: Window | undefined;
  /** True the first time a destination key is given an event id (dedupe.ts). */
  claim?(destinationKey: string, eventId: string): boolean;
}

/** The stage in front of one destination: it waits for readiness in a bounded queue, retries, and counts. */
export interface Outlet {
  /** Delivers now, or queues until the destination is ready; a duplicate for its key is counted and skipped. */
  offer(event: ChatEvent): void;
  /** Listens to the destination's `onReady` until the returned undo, which also ends the retries. */
  start(): Undo;
  stats(): DestinationStats;
}

/**
 * One destination, isolated: one that throws, is slow to load or never loads leaves the others untouched, and
 * what it misses is queued (bounded) or counted, never lost silently.
 */
export function createOutlet(destination: Destination, { bufferSize, debug, window: win, claim }: OutletOptions): Outlet {
  const queue: ChatEvent[] = [];
  // `buffered` is not counted: it is the queue's length.
  const counts = { delivered: 0, dropped: 0, failed: 0, duplicates: 0 };
  let retry: number | undefined;
  let retries = 0;
  let running = false;

  // try/catch rather than attempt(): no closure per event.
  const send = (event: ChatEvent) => {
    try {
      destination.send(event);
      counts.delivered++;
    } catch (error) {
      counts.failed++;
      if (DEBUG_BUILD) attempt(() => debug(`${destination.name}: send failed`, error));
    }
  };

  const isReady = () => !destination.isReady || attempt(() => destination.isReady!(), DEBUG_BUILD && ((e) => debug('isReady failed', e))) === true;

  // Readiness first, then the queue's length: asking for readiness may itself flush the queue (an SDK whose
  // `ready` calls back at once), and the queue must be read after that, never before.
  const flush = () => {
    while (isReady() && queue.length) send(queue.shift()!);
  };

  // An SDK that appears on the page later may announce nothing we can listen to: while events wait for it,
  // look again, less and less often (0.25 s doubling to 30 s). Nothing runs while nothing waits.
  const retryLater = () => {
    if (retry !== undefined || !win) return;
    retry = win.setTimeout(() => {
      retry = undefined;
      attempt(flush);
      if (queue.length && running) {
        retries++;
        retryLater();
      } else retries = 0;
    }, Math.min(30_000, 250 * 2 ** retries));
  };

  return {
    offer(event) {
      if (claim && !claim(destination.key ?? destination.name, event.id)) {
        counts.duplicates++;
        return;
      }
      if (queue.length) flush();
      if (isReady() && !queue.length) return void send(event);
      queue.push(event);
      if (queue.length > bufferSize) {
        queue.shift();
        counts.dropped++;
        if (DEBUG_BUILD) debug(`${destination.name}: not ready and buffer full, oldest event dropped`);
      }
      retryLater();
    },
    start() {
      running = true;
      let active = true;
      const onReady = () => active && attempt(flush);
      const undo = asUndo(attempt(() => destination.onReady?.(onReady), DEBUG_BUILD && ((e) => debug('onReady failed', e))));
      // What waited while stopped goes out now, or at the next retry.
      attempt(flush);
      if (queue.length) retryLater();
      return () => {
        active = running = false;
        attempt(undo, DEBUG_BUILD && ((e) => debug('onReady undo failed', e)));
        if (retry !== undefined) win?.clearTimeout(retry);
        retry = undefined;
        retries = 0;
      };
    },
    stats: () => ({ ...counts, buffered: queue.length }),
  };
}
