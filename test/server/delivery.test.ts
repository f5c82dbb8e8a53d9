import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEvent } from '../../core/event';
import { createWebhookHandler } from '../../server/index';
import { startCollector } from '../../support/collector.js';
import { conversationCreate, conversationUpdate, deliver, messageCreate, objectId, signedRequest, type ConversationState } from '../../support/kustomer-webhooks.js';
import { GA4_PATH, SECRET, ga4Hits, realDestinations, rudderEvents, segmentEvents, tally, type Collector } from './support';

const URL = 'https://hooks.example.com/kustomer';
const STITCHED = {
  segmentAnonymousIdStr: 'seg-anon-7f3e2a',
  segmentUserIdStr: 'user-1042',
  rudderstackAnonymousIdStr: 'rs-anon-91b0',
  gaClientIdStr: '1234567890.1700000000',
};

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
afterEach(() => collector.reset());

/** A chat conversation from start to rating, as Kustomer's webhooks report it, some out of order. */
function conversationStory() {
  const customerId = objectId();
  const base: ConversationState = { id: objectId(), customerId, createdAt: '2026-12-07T10:00:00.000Z' };
  const stitched: ConversationState = { ...base, custom: STITCHED, updatedAt: '2026-12-07T10:00:02.000Z' };
  const agentMessage = { conversationId: base.id, customerId, direction: 'out' as const, createdAt: '2026-12-07T10:01:00.000Z' };
  const customerMessage = { conversationId: base.id, customerId, direction: 'in' as const, createdAt: '2026-12-07T10:00:30.000Z' };
  const done: ConversationState = {
    ...stitched,
    status: 'done',
    firstResponse: { createdAt: '2026-12-07T10:01:00.000Z' },
    lastDone: { createdAt: '2026-12-07T10:05:00.000Z' },
    updatedAt: '2026-12-07T10:05:00.000Z',
  };
  const level = { status: 'rated', rating: 4, score: 0.75, formResponse: objectId(), sentAt: '2026-12-07T10:05:01.000Z', updatedAt: '2026-12-07T10:06:00.000Z' };
  const rated: ConversationState = { ...done, satisfactionLevel: level, updatedAt: '2026-12-07T10:06:00.000Z' };
  const reopened: ConversationState = { ...rated, status: 'open', reopenCount: 1, updatedAt: '2026-12-07T10:10:00.000Z' };
  const webhooks = {
    // The browser's identity stitching writes the ids with describeConversation: an update, after the create.
    stitchedUpdate: conversationUpdate(stitched, { 'custom.segmentAnonymousIdStr': { before: null, after: STITCHED.segmentAnonymousIdStr } }),
    create: conversationCreate(base),
    customerMessage: messageCreate(customerMessage),
    agentMessage: messageCreate(agentMessage),
    ended: conversationUpdate(done, { status: { before: 'open', after: 'done' } }),
    rated: conversationUpdate(rated, { satisfactionLevel: { before: null, after: level } }),
    reopened: conversationUpdate(reopened, { status: { before: 'done', after: 'open' }, reopenCount: { before: 0, after: 1 } }),
  };
  return { base, customerId, webhooks, level };
}

describe('createWebhookHandler() with the real Segment and RudderStack SDKs and GA4 MP, to a collector', () => {
  it('reports each action exactly once per destination, through out-of-order and repeated deliveries', async () => {
    const sdks = realDestinations(collector);
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations });
    const { base, webhooks, level } = conversationStory();
    // The agent's reply arrives before the conversation's create, and the ids before either.
    const order = [webhooks.agentMessage, webhooks.stitchedUpdate, webhooks.create, webhooks.customerMessage, webhooks.ended, webhooks.rated, webhooks.reopened];
    for (const webhook of order) expect(await deliver(handler, URL, webhook, SECRET)).toEqual([200]);
    // Kustomer delivers at least once: every webhook again, same id and bytes.
    for (const webhook of [...order].reverse()) expect((await handler(signedRequest(URL, webhook, SECRET))).status).toBe(200);
    await sdks.close();

    const expected = {
      'Live Chat Conversation Started': 1,
      'Live Chat Message Sent': 1,
      'Live Chat Message Received': 1,
      'Live Chat Conversation Ended': 1,
      'Live Chat Satisfaction Submitted': 1,
      'Live Chat Conversation Reopened': 1,
    };
    const segment = segmentEvents(collector);
    const rudder = rudderEvents(collector);
    expect(tally(segment.map((e) => e.event))).toEqual(expected);
    expect(tally(rudder.map((e) => e.event))).toEqual(expected);
    const ga4 = ga4Hits(collector);
    expect(tally(ga4.flatMap((hit) => hit.events.map((e) => e.name)))).toEqual({
      chat_conversation_start: 1,
      chat_message_sent: 1,
      chat_message_received: 1,
      chat_conversation_end: 1,
      chat_rating: 1,
      chat_conversation_reopen: 1,
    });

    // Same ids as the browser's rules (core/event.ts), as Segment's messageId and as the event_id property.
    const started = segment.find((e) => e.event === 'Live Chat Conversation Started')!;
    const browserStart = buildEvent('conversation_started', { conversationId: base.id }, 'widget', '');
    expect(started.messageId).toBe(browserStart.id);
    expect(started.properties).toMatchObject({ event_id: browserStart.id, conversation_id: base.id, platform: 'kustomer' });
    const sent = segment.find((e) => e.event === 'Live Chat Message Sent')!;
    expect(sent.messageId).toBe(buildEvent('message_sent', { conversationId: base.id, messageId: webhooks.customerMessage.data.id }, 'core', webhooks.customerMessage.data.id).id);
    expect(rudder.find((e) => e.event === 'Live Chat Message Sent')!.properties.event_id).toBe(sent.messageId);

    // The stitched ids, read from the conversation's custom attributes; they reach messages through the store.
    expect(sent).toMatchObject({ anonymousId: STITCHED.segmentAnonymousIdStr, userId: STITCHED.segmentUserIdStr });
    expect(rudder.find((e) => e.event === 'Live Chat Message Sent')).toMatchObject({ anonymousId: STITCHED.rudderstackAnonymousIdStr });
    for (const hit of ga4) expect(hit.client_id).toBe(STITCHED.gaClientIdStr);

    // The rating, and what only Kustomer knows: first response time and duration, in seconds.
    expect(segment.find((e) => e.event === 'Live Chat Satisfaction Submitted')!.properties).toMatchObject({ rating: 4, satisfaction_id: level.formResponse });
    expect(segment.find((e) => e.event === 'Live Chat Conversation Ended')!.properties).toMatchObject({ conversation_duration: 300, first_response_time: 60 });
    expect(ga4.find((hit) => hit.events[0].name === 'chat_rating')!.events[0].params).toMatchObject({ rating_value: 4, event_id: expect.any(String) });

    // Nothing personal: no body, preview, name, email, phone, nor other custom attributes.
    const everything = JSON.stringify(collector.requests.map((r) => r.body));
    for (const secret of ['4111', 'jane@example.com', 'Jane Doe', '555 010', 'orderNumberStr', '4417', 'customerEmailStr']) expect(everything).not.toContain(secret);
    const propertyNames = new Set([...segment, ...rudder].flatMap((e) => Object.keys(e.properties)).concat(ga4.flatMap((hit) => Object.keys(hit.events[0].params))));
    expect([...propertyNames].sort()).toEqual(
      ['chat_platform', 'conversation_duration', 'conversation_id', 'engagement_time_msec', 'event_id', 'first_response_time', 'message_id', 'platform', 'rating', 'rating_value', 'satisfaction_id'].sort(),
    );

    expect(handler.stats()).toMatchObject({
      received: 14,
      events: 12,
      destinations: {
        segment: { sent: 6, failed: 0, duplicates: 6 },
        rudderstack: { sent: 6, failed: 0, duplicates: 6 },
        // The agent's reply came before the ids: skipped for GA4 then, sent on its repeat, once the ids were known.
        ga4: { sent: 6, failed: 0, duplicates: 5, skipped: 1 },
      },
    });
  });

  it('answers 5xx when one destination fails, and sends the retry to that destination only', async () => {
    const sdks = realDestinations(collector);
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations });
    const { webhooks } = conversationStory();
    await deliver(handler, URL, webhooks.stitchedUpdate, SECRET);
    let ga4Down = true;
    collector.respond((request: { path: string }) => (ga4Down && request.path.startsWith(GA4_PATH) ? { status: 500 } : undefined));
    expect((await handler(signedRequest(URL, webhooks.customerMessage, SECRET))).status).toBe(503);
    ga4Down = false;
    // Kustomer's retry: the same webhook.
    expect((await handler(signedRequest(URL, webhooks.customerMessage, SECRET))).status).toBe(200);
    await sdks.close();

    expect(segmentEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Sent']);
    expect(rudderEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Sent']);
    expect(ga4Hits(collector).map((hit) => hit.events[0].name)).toEqual(['chat_message_sent', 'chat_message_sent']);
    expect(handler.stats().destinations).toMatchObject({ segment: { sent: 1, duplicates: 1 }, rudderstack: { sent: 1, duplicates: 1 }, ga4: { sent: 1, failed: 1 } });
  });

  it('answers 5xx when a destination does not answer within timeoutMs', async () => {
    const sdks = realDestinations(collector);
    const slow = { name: 'slow', send: () => new Promise<void>(() => {}) };
    const handler = createWebhookHandler({ secret: SECRET, destinations: [sdks.destinations[0], slow], timeoutMs: 200 });
    const { webhooks } = conversationStory();
    const started = Date.now();
    expect((await handler(signedRequest(URL, webhooks.create, SECRET))).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(2000);
    await sdks.close();
    expect(segmentEvents(collector).map((e) => e.event)).toEqual(['Live Chat Conversation Started']);
    expect(handler.stats().destinations.slow.failed).toBe(1);
  });

  it('without stitched ids: Segment and RudderStack get an anonymous id derived from the customer, GA4 is skipped and counted', async () => {
    const sdks = realDestinations(collector);
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations });
    const { webhooks, customerId } = conversationStory();
    expect((await handler(signedRequest(URL, webhooks.create, SECRET))).status).toBe(200);
    await sdks.close();
    expect(segmentEvents(collector)[0]).toMatchObject({ anonymousId: `kustomer-${customerId}` });
    expect(segmentEvents(collector)[0].userId).toBeUndefined();
    expect(rudderEvents(collector)[0]).toMatchObject({ anonymousId: `kustomer-${customerId}` });
    expect(ga4Hits(collector)).toEqual([]);
    expect(handler.stats().destinations.ga4).toMatchObject({ sent: 0, skipped: 1 });
  });

  it('with `kustomerApi`: reads the ids of a conversation it has not seen from Kustomer, for a message that came first', async () => {
    const sdks = realDestinations(collector);
    const { webhooks, base } = conversationStory();
    // Kustomer's API, as GET /v1/conversations/{id} answers: the resource the webhooks carry.
    const resource = { data: { type: 'conversation', id: base.id, attributes: { custom: { ...STITCHED, customerEmailStr: 'jane@example.com' } } } };
    collector.page(`/v1/conversations/${base.id}`, JSON.stringify(resource));
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations, kustomerApi: { apiKey: 'read-only-key', baseUrl: `${collector.url}/` } });
    expect(await deliver(handler, URL, webhooks.agentMessage, SECRET)).toEqual([200]);
    // A conversation the API does not know: the fallback ids, no error.
    const otherCustomer = objectId();
    const other = messageCreate({ conversationId: objectId(), customerId: otherCustomer, direction: 'in', createdAt: base.createdAt });
    expect(await deliver(handler, URL, other, SECRET)).toEqual([200]);
    await sdks.close();
    expect(segmentEvents(collector).map((e) => [e.event, e.anonymousId])).toEqual([
      ['Live Chat Message Received', STITCHED.segmentAnonymousIdStr],
      ['Live Chat Message Sent', `kustomer-${otherCustomer}`],
    ]);
    expect(ga4Hits(collector).map((hit) => hit.client_id)).toEqual([STITCHED.gaClientIdStr]);
  });

  it('narrows to `actions`, leaves other channels out unless `channels` widens it, and skips CSAT survey messages', async () => {
    const sdks = realDestinations(collector);
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations.slice(0, 1), actions: ['message_sent'] });
    const { webhooks, base, customerId } = conversationStory();
    await deliver(handler, URL, webhooks.create, SECRET);
    await deliver(handler, URL, webhooks.customerMessage, SECRET);
    await deliver(handler, URL, messageCreate({ conversationId: base.id, customerId, direction: 'in', channel: 'email', createdAt: base.createdAt }), SECRET);
    await deliver(handler, URL, messageCreate({ conversationId: base.id, customerId, direction: 'in', source: 'satisfaction', createdAt: base.createdAt }), SECRET);
    const email = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations.slice(0, 1), channels: ['chat', 'email'] });
    await deliver(email, URL, messageCreate({ conversationId: base.id, customerId, direction: 'out', channel: 'email', createdAt: base.createdAt }), SECRET);
    await sdks.close();
    expect(segmentEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Sent', 'Live Chat Message Received']);
    expect(handler.stats().ignored).toBe(3);
  });
});
