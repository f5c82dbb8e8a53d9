import type { ChatEvent } from '../core/schema';
import { trackDelivered, visitorIds, type NodeTrackMessage, type ServerDestination, type ServerLiveChatOptions } from './destination';
import type { WebhookIdentity } from './map';

/** What we need of `@rudderstack/rudder-sdk-node`'s `Analytics`: `track` with its delivery callback, and `flush`. */
export interface RudderStackNodeLike {
  /** Queues one track call; `callback` runs once its batch was delivered, with the error if it was not. */
  track(message: NodeTrackMessage, callback?: (error?: unknown) => void): unknown;
  /** Sends what is queued now (graceful shutdown). */
  flush?(callback?: (error?: unknown) => void): unknown;
}

/**
 * Sends chat events with `@rudderstack/rudder-sdk-node`, named by the Live Chat spec, our id in the `event_id`
 * property (and as `messageId`). Accepted means the data plane answered: the track callback. RudderStack does not
 * de-duplicate: the handler's store is what keeps a retried webhook from sending twice. Create the client with a
 * short `flushInterval` (or `flushAt: 1`) so that each webhook is answered within its time limit.
 *
 * @example
 * const client = new Analytics(writeKey, { dataPlaneUrl, flushInterval: 200 });
 * createWebhookHandler({ secret, destinations: [rudderstackServer(client)] });
 */
export function rudderstackServer(client: RudderStackNodeLike, options: ServerLiveChatOptions = {}): ServerDestination {
  return {
    name: 'rudderstack',
    send(event: ChatEvent, identity: WebhookIdentity) {
      const ids = visitorIds(identity, event, identity.rudderstackUserId, identity.rudderstackAnonymousId);
      return trackDelivered((message, callback) => client.track(message, callback), event, options, ids);
    },
    close: () => new Promise<void>((resolve) => {
      if (typeof client.flush !== 'function') return resolve();
      const done = () => resolve();
      Promise.resolve(client.flush(done)).then(done, done);
    }),
  };
}
