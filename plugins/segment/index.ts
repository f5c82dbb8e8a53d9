import type { Analytics, Context, Plugin } from '@segment/analytics-next';
import type { ChatEvent } from '../../core/schema';
import { createChatTracker, type ChatTracker, type Destination, type TrackerOptions } from '../../core/tracker';
import { INTEGRATION, VERSION } from '../../core/version';
import { instanceKey, readyWhenSdkIs, sdkGetter, type SdkSource } from '../shared/globals';
import { liveChatTrack, type LiveChatOptions } from '../shared/live-chat-spec';

/** What we need of Segment: an `Analytics`, an `AnalyticsBrowser`, or the snippet's `window.analytics`. */
export interface SegmentLike {
  /** Segment's `analytics.track(event, properties, options)`. */
  track(name: string, properties?: object, options?: object): unknown;
  /** Segment's `analytics.ready(callback)`: events wait until it calls back. */
  ready?(callback: () => void): unknown;
  /** Sync on a loaded `Analytics`; a promise on `AnalyticsBrowser`, whose loaded `instance` is used instead. */
  user?(): unknown;
  instance?: SegmentLike;
}

interface SegmentUser {
  anonymousId(): string | null;
  id(): string | null;
}

function segmentIds(analytics: SegmentLike | undefined): { segmentAnonymousId?: string; segmentUserId?: string } {
  const user = (analytics?.instance ?? analytics)?.user?.() as SegmentUser | undefined;
  if (typeof user?.anonymousId !== 'function') return {};
  return { segmentAnonymousId: user.anonymousId() ?? undefined, segmentUserId: user.id() ?? undefined };
}

/** Options of `segmentDestination()`: event names and properties. */
export type SegmentOptions = LiveChatOptions;

/**
 * Sends chat events with `analytics.track`, named by Segment's Live Chat spec. The event id goes out as
 * `messageId`, so Segment de-duplicates a repeated event too.
 *
 * @example
 * createChatTracker({ destinations: [segmentDestination(analytics)] }).start();
 */
export function segmentDestination(analytics?: SdkSource<SegmentLike>, options: SegmentOptions = {}): Destination {
  const get = sdkGetter(analytics, 'analytics');
  return {
    name: 'segment',
    get key() {
      // An AnalyticsBrowser and the Analytics instance it loaded are one Segment.
      const analytics = get();
      return instanceKey('segment', analytics?.instance ?? analytics);
    },
    ...readyWhenSdkIs(get),
    identity: () => segmentIds(get()),
    send(event: ChatEvent) {
      const { name, properties } = liveChatTrack(event, options);
      get()!.track(name, properties, { messageId: event.id, timestamp: event.timestamp, context: { integration: INTEGRATION } });
    },
  };
}

/** Options of `kustomerChatPlugin()`: those of `segmentDestination()` and of the tracker. */
export type KustomerChatPluginOptions = SegmentOptions & Omit<TrackerOptions, 'destinations'>;

/**
 * An Analytics.js 2.0 plugin: register it and chat events flow into Segment.
 *
 * @example
 * AnalyticsBrowser.load({ writeKey, plugins: [kustomerChatPlugin()] });
 */
export function kustomerChatPlugin(options: KustomerChatPluginOptions = {}): Plugin {
  let analytics: Analytics | undefined;
  let tracker: ChatTracker | undefined;
  return {
    name: 'Kustomer Chat Analytics',
    // A utility plugin gets no event hooks: it only produces events.
    type: 'utility',
    version: VERSION,
    isLoaded: () => analytics !== undefined,
    // Segment waits on every plugin's load before it delivers anything: return at once.
    load(_ctx: Context, instance: Analytics) {
      analytics = instance;
      tracker ??= createChatTracker({ ...options, destinations: [segmentDestination(() => analytics, options)] });
      tracker.start();
      return Promise.resolve();
    },
    unload() {
      tracker?.stop();
      analytics = undefined;
      return Promise.resolve();
    },
  };
}
