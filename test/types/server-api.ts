// Compile-only, like public-api.ts: the server path's public types accept the real SDK clients and a standard
// Redis client as they are, and keep rejecting what they should (the @ts-expect-error lines must stay errors).
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { createClient } from 'redis';
import {
  createWebhookHandler,
  ga4MeasurementProtocol,
  memoryStore,
  nodeListener,
  redisStore,
  rudderstackServer,
  segmentServer,
  type ServerDestination,
  type WebhookHandler,
  type WebhookHandlerStats,
} from '../../server/index';

const analytics = new Analytics({ writeKey: 'key', flushInterval: 200 });
const rudder = new RudderAnalytics('key', { dataPlaneUrl: 'https://example.dataplane.rudderstack.com', flushInterval: 200 });
const redis = createClient({ url: 'redis://127.0.0.1:6379' });
const own: ServerDestination = { name: 'warehouse', send: async (event, identity) => void [event.id, identity.customerId] };

const handler: WebhookHandler = createWebhookHandler({
  secret: 'token',
  destinations: [segmentServer(analytics), rudderstackServer(rudder), ga4MeasurementProtocol({ measurementId: 'G-1', apiSecret: 's' }), own],
  store: redisStore(redis),
  actions: ['message_sent', 'satisfaction_submitted'],
  channels: ['chat', 'email'],
  onWebhook: (summary) => void summary.status,
});
const response: Promise<Response> = handler(new Request('https://example.com/kustomer', { method: 'POST', body: '{}' }));
const stats: WebhookHandlerStats = handler.stats();
const listener: (req: never, res: never) => void = nodeListener(handler);
createWebhookHandler({ secret: 'token', destinations: [], store: memoryStore({ maxEntries: 10, ttlMs: 1000 }) });
void [response, stats, listener];

// @ts-expect-error: not an action of the schema
createWebhookHandler({ secret: 'token', destinations: [], actions: ['chat opened'] });
// @ts-expect-error: the secret is required
createWebhookHandler({ destinations: [] });
// @ts-expect-error: GA4 needs its API secret
ga4MeasurementProtocol({ measurementId: 'G-1' });
