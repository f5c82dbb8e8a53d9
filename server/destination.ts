import type { ChatEvent } from '../core/schema';
import { INTEGRATION } from '../core/version';
import { liveChatTrack, type LiveChatOptions } from '../plugins/shared/live-chat-spec';
import type { WebhookIdentity } from './map';

/**
 * Where the handler sends chat events: `send` resolves once the tool has accepted the event and rejects when it
 * has not (the handler then answers 5xx, so that Kustomer retries). `'skipped'` means the event cannot go to this
 * tool at all (GA4 without the visitor's client id): counted, never retried.
 */
export interface ServerDestination {
  /** The name its deliveries are remembered and counted under: `'segment'`. Unique per handler. */
  name: string;
  /** Sends one event with the visitor's ids; `signal` aborts when the handler's time limit is over. */
  send(event: ChatEvent, identity: WebhookIdentity, signal: AbortSignal): Promise<void | 'skipped'>;
  /** Sends what the client still holds and closes it: the bin calls it on SIGTERM. */
  close?(): Promise<void>;
}

/** Options of `segmentServer()` and `rudderstackServer()`: event names and properties, as in the browser. */
export type ServerLiveChatOptions = LiveChatOptions;

/**
 * The anonymous id of a visitor the browser did not stitch: `kustomer-<customer id>` (Kustomer's customer id is
 * opaque and stable), or `kustomer-conversation-<id>` for a resource without its customer.
 */
export function fallbackAnonymousId(identity: WebhookIdentity, event: ChatEvent): string {
  if (identity.customerId) return `kustomer-${identity.customerId}`;
  return event.conversationId ? `kustomer-conversation-${event.conversationId}` : 'kustomer-unknown';
}

/** The fields of a Live Chat spec track call shared by the Segment and RudderStack Node SDKs. */
export function liveChatMessage(event: ChatEvent, options: LiveChatOptions, ids: { userId?: string; anonymousId: string }) {
  const { name, properties } = liveChatTrack(event, options);
  return {
    ...ids,
    event: name,
    properties,
    // The event id goes out as `messageId`, so that Segment drops the browser's copy of the same event.
    messageId: event.id,
    timestamp: new Date(event.timestamp),
    context: { integration: { ...INTEGRATION } },
  };
}

/** What the Segment and RudderStack Node SDKs take in `track`. */
export interface NodeTrackMessage {
  event: string;
  properties?: object;
  userId?: string;
  anonymousId?: string;
  messageId?: string;
  timestamp?: Date | string;
  context?: object;
}

/** A Node SDK's `track(message, callback)`: `callback(error?)` runs once its batch was sent or given up. */
export type NodeTrack = (message: NodeTrackMessage, callback: (error?: unknown) => void) => unknown;

/** A tool's ids for the visitor: its `userId` where the browser stitched one, and its `anonymousId` or the fallback. */
export function visitorIds(identity: WebhookIdentity, event: ChatEvent, userId: string | undefined, anonymousId: string | undefined) {
  const anonymous = anonymousId ?? fallbackAnonymousId(identity, event);
  return userId ? { userId, anonymousId: anonymous } : { anonymousId: anonymous };
}

/** One Live Chat track call through a Node SDK, settled by its delivery callback. */
export function trackDelivered(track: NodeTrack, event: ChatEvent, options: LiveChatOptions, ids: { userId?: string; anonymousId: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    track(liveChatMessage(event, options, ids), (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()));
  });
}
