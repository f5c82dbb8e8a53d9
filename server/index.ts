/**
 * `kustomer-chat-analytics/server`: Kustomer's outbound webhooks → the same chat events as the browser's → Segment,
 * RudderStack and GA4, from Node 18+, a Worker or any runtime with Fetch's `Request` and `Response`. See
 * docs/server.md.
 */
export { createWebhookHandler } from './handler';
export type { RefusalReason, ServerDestinationStats, WebhookHandler, WebhookHandlerOptions, WebhookHandlerStats, WebhookSummary } from './handler';
export { nodeListener } from './node';
export type { NodeRequestLike, NodeResponseLike } from './node';
export { memoryStore, redisStore } from './store';
export type { DeliveryStore, MemoryStoreOptions, RedisLike, RedisStoreOptions } from './store';
export { segmentServer } from './segment';
export type { SegmentNodeLike } from './segment';
export { rudderstackServer } from './rudderstack';
export type { RudderStackNodeLike } from './rudderstack';
export { ga4MeasurementProtocol } from './ga4';
export type { Ga4MeasurementProtocolOptions } from './ga4';
export type { NodeTrackMessage, ServerDestination, ServerLiveChatOptions } from './destination';
export type { IdentityName, WebhookIdentity } from './map';
export type { KustomerApiOptions, KustomerApiResponse } from './kustomer-api';
export type { ChatAction, ChatEvent } from '../core/schema';
