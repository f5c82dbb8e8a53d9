import type { Analytics, Context, Plugin } from '@segment/analytics-next';
import type { ChatEvent } from '../../core/schema';
import { createChatTracker, type Destination, type TrackerOptions, type TrackerStats } from '../../core/tracker';
import { INTEGRATION, VERSION } from '../../core/version';
import { instanceKey, isTracker, pageWindow, sdkGetter, type SdkSource } from '../shared/globals';
import { followLiveSdk } from '../shared/live-sdk';
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

/**
 * The real `Analytics` behind any reference to Segment, or `undefined` while there is none: the snippet's stub
 * array is followed to what `window.analytics` holds now (the stub of 4.x never forwards; 5.x forwards only
 * once loaded), an `AnalyticsBrowser` (a thenable) to the `instance` it has loaded.
 */
function liveSegment(candidate: unknown): SegmentLike | undefined {
  let sdk = Array.isArray(candidate) ? pageWindow()?.analytics : candidate;
  if (sdk && typeof (sdk as { then?: unknown }).then === 'function') sdk = (sdk as SegmentLike).instance;
  return isTracker(sdk) ? (sdk as SegmentLike) : undefined;
}

function segmentIds(analytics: SegmentLike | undefined): { segmentAnonymousId?: string; segmentUserId?: string } {
  const user = analytics?.user?.() as SegmentUser | undefined;
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
  const live = followLiveSdk(get, liveSegment);
  return {
    name: 'segment',
    get key() {
      // The stub, the instance replacing it, an AnalyticsBrowser and the instance a plugin is loaded into: once
      // loaded, all are the one real Analytics, so a plugin and a destination on one page send an event once.
      return instanceKey('segment', live.current() ?? get());
    },
    isReady: live.isReady,
    onReady: live.onReady,
    identity: () => segmentIds(live.current()),
    send(event: ChatEvent) {
      const { name, properties } = liveChatTrack(event, options);
      // Only a real instance: a stub nobody reads any more would swallow the event.
      const analytics = live.current();
      if (!analytics) throw new Error('Segment is not loaded');
      analytics.track(name, properties, { messageId: event.id, timestamp: event.timestamp, context: { integration: INTEGRATION } });
    },
  };
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
