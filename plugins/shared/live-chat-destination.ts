import type { ChatEvent } from '../../core/schema';
import type { Destination } from '../../core/types';
import { instanceKey, isTracker, pageWindow, sdkGetter, type SdkSource } from './globals';
import { liveChatTrack, type LiveChatOptions } from './live-chat-spec';
import { followLiveSdk } from './live-sdk';

/** What one SDK adds to the shared Live Chat destination: how to find it, call `track` and read its ids. */
export interface LiveChatSdk<T> {
  /** The destination's name: `'segment'`. */
  name: string;
  /** The page global the SDK lives in, read when none is given and in place of a snippet's stub: `'analytics'`. */
  globalName: string;
  /** The instance behind a wrapper the site may give (Segment's `AnalyticsBrowser`). */
  unwrap?(candidate: unknown): unknown;
  /** One `track` call with the Live Chat spec's name and properties. */
  track(sdk: T, name: string, properties: Record<string, unknown>, event: ChatEvent): void;
  /** The visitor's ids in this SDK, for identity stitching. */
  identity(sdk: T | undefined): Record<string, string | undefined>;
}

/**
 * A destination that sends Segment's Live Chat spec with an SDK's `track`, once the real SDK (never its stub)
 * is ready: Segment and RudderStack are this with a few lines each.
 */
export function liveChatDestination<T extends { ready?: (callback: () => void) => unknown }>(
  sdk: LiveChatSdk<T>,
  source: SdkSource<T>,
  options: LiveChatOptions,
): Destination {
  const get = sdkGetter(source, sdk.globalName);
  // A snippet's stub array is followed to what the global holds now: the stubs of Segment 4.x and RudderStack 3.0
  // never forward, those of Segment 5.x and RudderStack 3.2 only once the SDK has loaded.
  const live = followLiveSdk(get, (candidate) => {
    const found = Array.isArray(candidate) ? pageWindow()?.[sdk.globalName] : candidate;
    const instance = sdk.unwrap ? sdk.unwrap(found) : found;
    return isTracker(instance) ? (instance as T) : undefined;
  });
  return {
    name: sdk.name,
    get key() {
      // The stub, the instance replacing it, a wrapper and the instance a plugin is loaded into: once loaded, all
      // are the one real SDK, so a plugin and a destination on one page send an event once.
      return instanceKey(sdk.name, live.current() ?? get());
    },
    isReady: live.isReady,
    onReady: live.onReady,
    identity: () => sdk.identity(live.current()),
    send(event: ChatEvent) {
      const { name, properties } = liveChatTrack(event, options);
      const instance = live.current();
      // Only a real instance: a stub nobody reads any more would swallow the event.
      if (!instance) throw new Error(`${sdk.name} is not loaded`);
      sdk.track(instance, name, properties, event);
    },
  };
}
