import type { Analytics, Context, Plugin } from '@segment/analytics-next';
import { createChatTracker, type Destination, type TrackerOptions, type TrackerStats } from '../../core/tracker';
import { INTEGRATION, VERSION } from '../../core/version';
import type { SdkSource } from '../shared/globals';
import { liveChatDestination, type LiveChatSdk } from '../shared/live-chat-destination';
import type { LiveChatOptions } from '../shared/live-chat-spec';

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

/** Options of `segmentDestination()`: event names and properties. */
export type SegmentOptions = LiveChatOptions;

const SEGMENT: LiveChatSdk<SegmentLike> = {
  name: 'segment',
  globalName: 'analytics',
  // An `AnalyticsBrowser` (a thenable) stands for the `instance` it has loaded.
  unwrap: (sdk) => (sdk && typeof (sdk as { then?: unknown }).then === 'function' ? (sdk as SegmentLike).instance : sdk),
  // The event id goes out as `messageId`, so Segment de-duplicates a repeated event too.
  track: (analytics, name, properties, event) =>
    analytics.track(name, properties, { messageId: event.id, timestamp: event.timestamp, context: { integration: INTEGRATION } }),
  identity(analytics) {
    const user = analytics?.user?.() as SegmentUser | undefined;
    if (typeof user?.anonymousId !== 'function') return {};
    return { segmentAnonymousId: user.anonymousId() ?? undefined, segmentUserId: user.id() ?? undefined };
  },
};

/**
 * Sends chat events with `analytics.track`, named by Segment's Live Chat spec. The event id goes out as
 * `messageId`, so Segment de-duplicates a repeated event too.
 *
 * @example
 * createChatTracker({ destinations: [segmentDestination(analytics)] }).start();
 */
export function segmentDestination(analytics?: SdkSource<SegmentLike>, options: SegmentOptions = {}): Destination {
  return liveChatDestination(SEGMENT, analytics, options);
}

/** Options of `kustomerChatPlugin()`: those of `segmentDestination()` and of the tracker. */
export type KustomerChatPluginOptions = SegmentOptions & Omit<TrackerOptions, 'destinations'>;

/** The plugin, with the counters of its tracker (`stats().destinations.segment`). */
export interface KustomerChatPlugin extends Plugin {
  /** What the plugin's tracker counted: received, delivered, buffered, failed (see docs/troubleshooting.md). */
  stats(): TrackerStats;
}

/**
 * An Analytics.js 2.0 plugin: register it and chat events flow into Segment.
 *
 * @example
 * AnalyticsBrowser.load({ writeKey, plugins: [kustomerChatPlugin()] });
 */
export function kustomerChatPlugin(options: KustomerChatPluginOptions = {}): KustomerChatPlugin {
  let analytics: Analytics | undefined;
  const tracker = createChatTracker({ ...options, destinations: [segmentDestination(() => analytics, options)] });
  return {
    name: 'Kustomer Chat Analytics',
    // A utility plugin gets no event hooks: it only produces events.
    type: 'utility',
    version: VERSION,
    isLoaded: () => analytics !== undefined,
    // Segment waits on every plugin's load before it delivers anything: return at once.
    load(_ctx: Context, instance: Analytics) {
      analytics = instance;
      tracker.start();
      return Promise.resolve();
    },
    unload() {
      tracker.stop();
      analytics = undefined;
      return Promise.resolve();
    },
    stats: () => tracker.stats(),
  };
}
