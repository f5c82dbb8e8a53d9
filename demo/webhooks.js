/**
 * The demo's server side. Kustomer's servers (the stand-in in support/kustomer-webhooks.js) send signed webhooks for
 * what happens in the page's chat to the library's webhook handler (kustomer-chat-analytics/server, from dist/),
 * which delivers through the real @segment/analytics-node, @rudderstack/rudder-sdk-node and GA4's Measurement
 * Protocol, all to this demo server (SERVER_PATHS), so the page shows server events next to the browser's.
 *
 *   const webhooks = demoWebhooks(url)
 *   webhooks.listener(req, res)          POST /webhooks/kustomer: the handler, as node:http mounts it
 *   await webhooks.activity(body)        POST /demo/kustomer-activity: the page tells "Kustomer" what happened
 *   await webhooks.close()               flushes the SDKs
 */
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { createWebhookHandler, ga4MeasurementProtocol, nodeListener, rudderstackServer, segmentServer } from '../dist/server.js';
import { conversationCreate, conversationUpdate, deliver, messageCreate } from '../support/kustomer-webhooks.js';

const SECRET = 'demo-webhook-token';
const CUSTOMER = '6717c29de5b1f00012ab34b9';
export const WEBHOOK_PATH = '/webhooks/kustomer';
/** Where the server-side SDKs deliver, apart from the browser SDKs' endpoints. */
export const SERVER_PATHS = { segment: '/server/segment/v1/batch', rudderstack: '/server/rudderstack/v1/batch', ga4: '/server/ga4/mp/collect' };

export function demoWebhooks(url) {
  // Flush soon: the handler answers Kustomer once each SDK has delivered (docs/server.md, "Delivery").
  const segment = new Analytics({ writeKey: 'demo-write-key', host: url, path: SERVER_PATHS.segment, flushInterval: 100 });
  const rudder = new RudderAnalytics('demo-write-key', { dataPlaneUrl: url, path: SERVER_PATHS.rudderstack, flushInterval: 100, logLevel: 'error' });
  const handler = createWebhookHandler({
    secret: SECRET,
    destinations: [segmentServer(segment), rudderstackServer(rudder), ga4MeasurementProtocol({ measurementId: 'G-DEMO', apiSecret: 'demo-api-secret', endpoint: url + SERVER_PATHS.ga4 })],
  });
  // Each conversation as Kustomer's servers keep it.
  const conversations = new Map();
  const send = (webhook) => deliver((request) => fetch(request), url + WEBHOOK_PATH, webhook, SECRET, 3);

  /** What the page reports, as the webhook Kustomer sends for it. */
  const webhookFor = ({ kind, conversationId, messageId, rating, satisfactionId, custom }) => {
    const now = new Date().toISOString();
    if (kind === 'start') {
      const conversation = { id: conversationId, customerId: CUSTOMER, createdAt: now, custom };
      conversations.set(conversationId, conversation);
      return conversationCreate(conversation);
    }
    const conversation = conversations.get(conversationId);
    if (!conversation) return undefined;
    if (kind === 'sent' || kind === 'received') {
      return messageCreate({ id: messageId, conversationId, customerId: CUSTOMER, direction: kind === 'sent' ? 'in' : 'out', createdAt: now });
    }
    if (kind === 'rated') {
      const before = conversation.satisfactionLevel ?? null;
      conversation.satisfactionLevel = { rating, status: 'rated', formResponse: satisfactionId, updatedAt: now };
      return conversationUpdate(conversation, { satisfactionLevel: { before, after: conversation.satisfactionLevel } });
    }
    if (kind === 'ended') {
      conversation.status = 'done';
      conversation.lastDone = { createdAt: now };
      return conversationUpdate(conversation, { status: { before: 'open', after: 'done' } });
    }
    return undefined;
  };

  return {
    listener: nodeListener(handler),
    stats: () => handler.stats(),
    async activity(body) {
      const webhook = webhookFor(body ?? {});
      return webhook ? send(webhook) : [];
    },
    async close() {
      await Promise.all([segment.closeAndFlush({ timeout: 2000 }), rudder.flush()]);
    },
  };
}
