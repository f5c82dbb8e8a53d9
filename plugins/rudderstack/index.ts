import type { ChatEvent } from '../../core/schema';
import { createChatTracker, type ChatTracker, type Destination, type TrackerOptions } from '../../core/tracker';
import { INTEGRATION } from '../../core/version';
import { instanceKey, isTracker, pageWindow, sdkGetter, type SdkSource } from '../shared/globals';
import { followLiveSdk } from '../shared/live-sdk';
import { liveChatTrack, type LiveChatOptions } from '../shared/live-chat-spec';

/** What we need of RudderStack v3: the npm `RudderAnalytics` instance or the snippet's `window.rudderanalytics`. */
export interface RudderStackLike {
  /** RudderStack's `rudderanalytics.track(event, properties, options)`. */
  track(event: string, properties?: object, options?: object): unknown;
  /** RudderStack's `rudderanalytics.ready(callback)`: events wait until it calls back. */
  ready(callback: () => void): unknown;
  /** Read for identity stitching. */
  getAnonymousId?(): string | undefined;
  /** Read for identity stitching. */
  getUserId?(): string | null | undefined;
}

/** Options of `rudderstackDestination()`: event names and properties. */
export type RudderStackOptions = LiveChatOptions;

/**
 * The real RudderStack behind any reference to it: the loading snippet's stub array is followed to what
 * `window.rudderanalytics` holds now (the stub of 3.0 never forwards; 3.2 forwards once replaced).
 */
function liveRudderStack(candidate: unknown): RudderStackLike | undefined {
  const sdk = Array.isArray(candidate) ? pageWindow()?.rudderanalytics : candidate;
  return isTracker(sdk) ? (sdk as RudderStackLike) : undefined;
}

/**
 * Sends chat events with `rudderanalytics.track` once RudderStack is ready. RudderStack makes its own
 * `messageId`, so our id travels as the `event_id` property.
 */
export function rudderstackDestination(rudderanalytics?: SdkSource<RudderStackLike>, options: RudderStackOptions = {}): Destination {
  const get = sdkGetter(rudderanalytics, 'rudderanalytics');
  const live = followLiveSdk(get, liveRudderStack);
  return {
    name: 'rudderstack',
    get key() {
      return instanceKey('rudderstack', live.current() ?? get());
    },
    isReady: live.isReady,
    onReady: live.onReady,
    identity() {
      const rudderanalytics = live.current();
      return { rudderstackAnonymousId: rudderanalytics?.getAnonymousId?.(), rudderstackUserId: rudderanalytics?.getUserId?.() ?? undefined };
    },
    send(event: ChatEvent) {
      const { name, properties } = liveChatTrack(event, options);
      const rudderanalytics = live.current();
      // Only a real instance: a stub nobody reads any more would swallow the event.
      if (!rudderanalytics) throw new Error('RudderStack is not loaded');
      // Option keys other than RudderStack's own land in `context`.
      rudderanalytics.track(name, properties, { integration: INTEGRATION, originalTimestamp: event.timestamp });
    },
  };
}

/** Options of `trackKustomerChat()`: those of `rudderstackDestination()` and of the tracker. */
export type TrackKustomerChatOptions = RudderStackOptions & Omit<TrackerOptions, 'destinations'>;

/**
 * RudderStack has no plugin API for code that produces events: this starts a tracker feeding it.
 *
 * @example
 * const handle = trackKustomerChat(rudderanalytics);
 * handle.stop();
 */
export function trackKustomerChat(rudderanalytics?: SdkSource<RudderStackLike>, options: TrackKustomerChatOptions = {}): ChatTracker {
  return createChatTracker({ ...options, destinations: [rudderstackDestination(rudderanalytics, options)] }).start();
}
