import { createChatTracker, type ChatTracker, type Destination, type TrackerOptions } from '../../core/tracker';
import { INTEGRATION } from '../../core/version';
import type { SdkSource } from '../shared/globals';
import { liveChatDestination, type LiveChatSdk } from '../shared/live-chat-destination';
import type { LiveChatOptions } from '../shared/live-chat-spec';

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

const RUDDERSTACK: LiveChatSdk<RudderStackLike> = {
  name: 'rudderstack',
  globalName: 'rudderanalytics',
  // RudderStack makes its own `messageId`: our id travels as the `event_id` property. Option keys other than
  // RudderStack's own land in `context`.
  track: (rudderanalytics, name, properties, event) =>
    rudderanalytics.track(name, properties, { integration: INTEGRATION, originalTimestamp: event.timestamp }),
  identity: (rudderanalytics) => ({
    rudderstackAnonymousId: rudderanalytics?.getAnonymousId?.(),
    rudderstackUserId: rudderanalytics?.getUserId?.() ?? undefined,
  }),
};

/**
 * Sends chat events with `rudderanalytics.track` once RudderStack is ready. RudderStack makes its own
 * `messageId`, so our id travels as the `event_id` property.
 */
export function rudderstackDestination(rudderanalytics?: SdkSource<RudderStackLike>, options: RudderStackOptions = {}): Destination {
  return liveChatDestination(RUDDERSTACK, rudderanalytics, options);
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
