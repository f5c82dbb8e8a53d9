import { createConsentGate } from './consent-gate';
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
  const { bufferSize = 100, allowFields = [], consent } = options;
  const debug = createDebug(options.debug);
  const win = options.window ?? (typeof window !== 'undefined' ? window : undefined);
  const shared = win && sharedOnPage(win);
  const claim = shared && ((destinationKey: string, eventId: string) => shared.claim(destinationKey, eventId));
  const outlets = options.destinations.map((destination) => ({
    name: destination.name,
    outlet: createOutlet(destination, { bufferSize, debug, window: win, claim }),
  }));
  const gate = createConsentGate(consent, { bufferSize, debug, pass: (event) => outlets.forEach(({ outlet }) => outlet.offer(event)) });
  const undos = undoList((e) => debug('stop failed', e));
  let received = 0;
  let stitchFailures = 0;
  let started = false;

  const accept = (event: ChatEvent) => {
    received++;
    gate.accept(event);
  };

  /** The visitor's ids from every destination, for identity stitching. */
  const identities = () => {
    // No prototype: an identity named "__proto__" stays a plain key (and is then refused as an attribute name).
    const all: Record<string, string | undefined> = Object.create(null);
    for (const destination of options.destinations) {
      Object.assign(all, attempt(() => destination.identity?.(), (e) => debug(`${destination.name}: identity failed`, e)));
    }
    return all;
  };

  // Identity stitching, the one call into stitch.ts: when a conversation starts, the stitcher writes the ids the
  // destinations tell into it.
  const stitch = (event: ChatEvent) => {
    const stitcher = options.stitchIdentities;
    if (!stitcher || event.action !== 'conversation_started' || !event.conversationId || !win) return;
    const failed = () => void stitchFailures++;
    attempt(
      () => stitcher({ window: win, conversationId: event.conversationId!, identities, debug, failed }),
      (e) => (failed(), debug('stitchIdentities failed', e)),
    );
  };

  const tracker: ChatTracker = {
    start() {
      if (started) return tracker;
      if (!shared) {
        debug('no window: nothing to listen to');
        return tracker;
      }
      started = true;
      const storage = options.sessionMemory === false ? false : undefined;
      const subscriber = {
        allowFields,
        debug,
        event(event: ChatEvent) {
          accept(event);
          stitch(event);
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
      for (const { name, outlet } of outlets) destinations[name] = outlet.stats();
      // No window, or an older copy of the library on the page owns the Kustomer source and cannot tell.
      const kustomer = attempt(() => shared?.status?.()) ?? { widget: ABSENT, core: ABSENT };
      return { received, ...gate.stats(), stitchFailures, destinations, kustomer };
    },
  };
  return tracker;
}
