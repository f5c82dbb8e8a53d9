import type { ChatEvent } from '../../core/schema';
import { createChatTracker, type ChatTracker, type Destination, type TrackerOptions } from '../../core/tracker';
import { INTEGRATION } from '../../core/version';
import { instanceKey, readyWhenSdkIs, sdkGetter, type SdkSource } from '../shared/globals';
import { liveChatTrack, type LiveChatOptions } from '../shared/live-chat-spec';

/** What we need of RudderStack v3: the npm `RudderAnalytics` instance or the snippet's `window.rudderanalytics`. */
export interface RudderStackLike {
  track(event: string, properties?: object, options?: object): unknown;
  ready(callback: () => void): unknown;
  getAnonymousId?(): string | undefined;
  getUserId?(): string | null | undefined;
}

export type RudderStackOptions = LiveChatOptions;

/**
 * Sends chat events with `rudderanalytics.track` once RudderStack is ready. RudderStack makes its own
 * `messageId`, so our id travels as the `event_id` property.
 */
export function rudderstackDestination(rudderanalytics?: SdkSource<RudderStackLike>, options: RudderStackOptions = {}): Destination {
  const get = sdkGetter(rudderanalytics, 'rudderanalytics');
  return {
    name: 'rudderstack',
    get key() {
      return instanceKey('rudderstack', get());
    },
    ...readyWhenSdkIs(get),
    identity() {
      const rudderanalytics = get();
      return { rudderstackAnonymousId: rudderanalytics?.getAnonymousId?.(), rudderstackUserId: rudderanalytics?.getUserId?.() ?? undefined };
    },
    send(event: ChatEvent) {
      const { name, properties } = liveChatTrack(event, options);
      // Option keys other than RudderStack's own land in `context`.
      get()!.track(name, properties, { integration: INTEGRATION, originalTimestamp: event.timestamp });
    },
  };
}

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
