import type { ChatEvent } from '../core/schema';
import { trackDelivered, visitorIds, type NodeTrackMessage, type ServerDestination, type ServerLiveChatOptions } from './destination';
import type { WebhookIdentity } from './map';

/** What we need of `@segment/analytics-node`'s `Analytics`: `track` with its delivery callback. */
export interface SegmentNodeLike {
  /** Queues one track call; `callback` runs once its batch was delivered, with the error if it was not. */
  track(message: NodeTrackMessage, callback?: (error?: unknown) => void): void;
  /** Sends what is queued and stops the client (graceful shutdown). */
  closeAndFlush?(options?: { timeout?: number }): Promise<void>;
}

/**
 * Sends chat events with `@segment/analytics-node`, named by Segment's Live Chat spec, the event id as
 * `messageId` (Segment drops a repeated one). Accepted means Segment's API answered: the track callback. Create the
 * client with a short `flushInterval` (or `flushAt: 1`) so that each webhook is answered within its time limit.
 *
 * @example
 * const analytics = new Analytics({ writeKey, flushInterval: 200 });
 * createWebhookHandler({ secret, destinations: [segmentServer(analytics)] });
 */
export function segmentServer(analytics: SegmentNodeLike, options: ServerLiveChatOptions = {}): ServerDestination {
  return {
    name: 'segment',
    send(event: ChatEvent, identity: WebhookIdentity) {
      const ids = visitorIds(identity, event, identity.segmentUserId, identity.segmentAnonymousId);
      return trackDelivered((message, callback) => analytics.track(message, callback), event, options, ids);
    },
    close: async () => {
      await analytics.closeAndFlush?.({ timeout: 5000 });
    },
  };
}
