import { createConsentGate } from './consent-gate';
import { createStitching } from './stitch';
import { DEBUG_BUILD } from './debug-build';
import { buildEvent } from './event';
import { createOutlet } from './outlet';
import { sharedOnPage } from './page';
import { attempt } from './safe';
import { isChatAction, type ChatEvent } from './schema';
import type { ChatTracker, Debug, DestinationStats, TrackerOptions } from './types';
import { undoList } from './undo';
import { ABSENT } from './watch-sdk';

export type { ChatTracker, ConsentOptions, Destination, TrackerOptions, TrackerStats } from './types';

const PREFIX = '[kustomer-chat-analytics]';

function createDebug(option: TrackerOptions['debug']): Debug {
  if (typeof option === 'function') return (message, detail) => attempt(() => option(message, detail));
  // eslint-disable-next-line no-console
  return option ? (message, detail) => console.debug(PREFIX, message, detail ?? '') : () => {};
}

/** The stages a tracker may go without: the drop-in has no consent option and stitches no identities. */
export interface OptionalStages {
  consentGate?: typeof createConsentGate;
  stitching?: typeof createStitching;
}

/**
 * Composes the pipeline: the page's Kustomer source → this tracker → the consent gate → one outlet per
 * destination → the destination. Every stage is isolated, and data only flows forward; `stop()` runs the undo of
 * everything `start()` added to the page.
 *
 * @example
 * const tracker = createChatTracker({ destinations: [gtmDataLayer(), segmentDestination()] }).start();
 * tracker.emit('proactive_trigger');
 */
export function createChatTracker(options: TrackerOptions): ChatTracker {
  return composeTracker(options, { consentGate: createConsentGate, stitching: createStitching });
}

/** createChatTracker with only the optional stages given: without them, every event passes and none is stitched. */
export function composeTracker(options: TrackerOptions, stages: OptionalStages): ChatTracker {
  const { bufferSize = 100, allowFields = [], consent } = options;
  const debug = createDebug(options.debug);
  const win = options.window ?? (typeof window !== 'undefined' ? window : undefined);
  const shared = win && sharedOnPage(win);
  const claim = shared && ((destinationKey: string, eventId: string) => shared.claim(destinationKey, eventId));
  const outlets = options.destinations.map((destination) => ({
    name: destination.name,
    outlet: createOutlet(destination, { bufferSize, debug, window: win, claim }),
  }));
  const pass = (event: ChatEvent) => outlets.forEach(({ outlet }) => outlet.offer(event));
  const gate = stages.consentGate?.(consent, { bufferSize, debug, pass }) ?? {
    accept: pass,
    start: () => () => {},
    stats: () => ({ heldForConsent: 0, droppedForConsent: 0 }),
  };
  const stitch = win && stages.stitching?.(options, win, debug);
  const undos = undoList(DEBUG_BUILD && ((e) => debug('stop failed', e)));
  let received = 0;
  let started = false;

  const accept = (event: ChatEvent) => {
    received++;
    gate.accept(event);
  };

  const tracker: ChatTracker = {
    start() {
      if (started) return tracker;
      if (!shared) {
        if (DEBUG_BUILD) debug('no window: nothing to listen to');
        return tracker;
      }
      started = true;
      const storage = options.sessionMemory === false ? false : undefined;
      const subscriber = {
        allowFields,
        debug,
        event(event: ChatEvent) {
          accept(event);
          stitch?.event(event);
        },
      };
      undos.add(shared.subscribe(subscriber, { storage }));
      for (const { outlet } of outlets) undos.add(outlet.start());
      undos.add(gate.start());
      return tracker;
    },
    stop() {
      started = false;
      undos.undoAll();
    },
    emit(action, fields) {
      return attempt(
        () => {
          if (!isChatAction(action)) {
            if (DEBUG_BUILD) debug('emit: unknown action', action);
            return undefined;
          }
          const event = Object.freeze(buildEvent(action, fields, 'site'));
          accept(event);
          return event;
        },
        DEBUG_BUILD && ((e) => debug('emit failed', e)),
      );
    },
    stats() {
      const destinations: Record<string, DestinationStats> = {};
      for (const { name, outlet } of outlets) destinations[name] = outlet.stats();
      // No window, or an older copy of the library on the page owns the Kustomer source and cannot tell.
      const kustomer = attempt(() => shared?.status?.()) ?? { widget: ABSENT, core: ABSENT };
      return { received, ...gate.stats(), stitchFailures: stitch ? stitch.failures() : 0, destinations, kustomer };
    },
  };
  return tracker;
}
