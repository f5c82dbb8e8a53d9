import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../server/index';
import { startCollector } from '../../support/collector.js';
import { conversationCreate, messageCreate, objectId, sign, signedRequest } from '../../support/kustomer-webhooks.js';
import { SECRET, realDestinations, type Collector } from './support';

const URL = 'https://hooks.example.com/kustomer';

let collector: Collector;
let sdks: ReturnType<typeof realDestinations>;
let handler: ReturnType<typeof createWebhookHandler>;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.close());
afterEach(async () => {
  // Whatever the SDKs still hold goes out now: nothing may have been sent.
  await sdks.close();
  const sent = collector.requests.map((r) => r.path);
  collector.reset();
  expect(sent).toEqual([]);
});

function fresh(options: { maxBodyBytes?: number } = {}) {
  sdks = realDestinations(collector);
  handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations, ...options });
  return handler;
}

function raw(body: string | Uint8Array, headers: Record<string, string> = {}, method = 'POST') {
  return new Request(URL, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' ? undefined : (body as BodyInit) });
}

const validWebhook = () => conversationCreate({ id: objectId(), customerId: objectId(), createdAt: '2026-12-07T10:00:00.000Z' });

describe('createWebhookHandler() refuses, and sends nothing', () => {
  it('405 for anything but POST', async () => {
    const response = await fresh()(raw('', {}, 'GET'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(handler.stats().refused.method).toBe(1);
  });

  it('401 without a signature, with a wrong one, and with one over other bytes than those received', async () => {
    fresh();
    const webhook = validWebhook();
    const pretty = JSON.stringify(webhook, null, 2);
    expect((await handler(raw(pretty))).status).toBe(401);
    expect((await handler(raw(pretty, { 'x-kustomer-webhook-signature': sign(pretty, 'another-token') }))).status).toBe(401);
    expect((await handler(raw(pretty, { 'x-kustomer-webhook-signature': 'not hex at all' }))).status).toBe(401);
    // The same JSON, re-serialised compactly: the signature is over the raw bytes, not the parsed value.
    expect((await handler(raw(JSON.stringify(webhook), { 'x-kustomer-webhook-signature': sign(pretty, SECRET) }))).status).toBe(401);
    // Checked before parsing: an unsigned body that is not even JSON is a 401, not a 400.
    expect((await handler(raw('{{{', { 'x-kustomer-webhook-signature': '0'.repeat(64) }))).status).toBe(401);
    expect(handler.stats().refused).toMatchObject({ signature: 5, not_json: 0 });
  });

  it('413 for a body over the limit, streamed or declared, reading no further', async () => {
    fresh({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ ...validWebhook(), padding: 'x'.repeat(2000) });
    expect((await handler(raw(big, { 'x-kustomer-webhook-signature': sign(big, SECRET) }))).status).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512).fill(32));
      },
    });
    const streamed = new Request(URL, { method: 'POST', body: endless, duplex: 'half' } as RequestInit);
    expect((await handler(streamed)).status).toBe(413);
    expect(pulled).toBeLessThan(10);
    const declared = new Request(URL, { method: 'POST', headers: { 'content-length': '5000000' }, body: '{}' });
    expect((await handler(declared)).status).toBe(413);
    expect(handler.stats().refused.too_large).toBe(3);
  });

  it('413 at 1 MiB by default', async () => {
    fresh();
    const big = JSON.stringify({ ...validWebhook(), padding: 'x'.repeat(1024 * 1024) });
    expect((await handler(raw(big, { 'x-kustomer-webhook-signature': sign(big, SECRET) }))).status).toBe(413);
  });

  it('400 for a signed body that is not JSON or not a webhook', async () => {
    fresh();
    for (const body of ['not json', '', '[1,2,3]', 'null', '"kustomer"', '{"id":"x"}', '{"id":"a1","name":"kustomer.conversation.create","data":null}', '{"id":"a@b.c","name":"kustomer.conversation.create","data":{"type":"conversation","id":"c1"}}']) {
      const response = await handler(raw(body, { 'x-kustomer-webhook-signature': sign(body, SECRET) }));
      expect(response.status, body).toBe(400);
    }
    expect(handler.stats().refused).toMatchObject({ not_json: 2, not_a_webhook: 6 });
  });
});

describe('hostile payloads, correctly signed', () => {
  const hostile: Array<[string, string]> = [];
  const conversationId = objectId();
  const customerId = objectId();
  const base = { ...conversationCreate({ id: conversationId, customerId, createdAt: '2026-12-07T10:00:00.000Z' }), name: 'kustomer.conversation.update' };
  // __proto__ as an own key (JSON.parse makes it one), at every level, the status change hidden behind it.
  const protoChanges = '"changes":{"__proto__":{"polluted":true},"attributes":{"__proto__":{"before":"open","after":"done"},"constructor":{"prototype":{"polluted":true}}}}';
  hostile.push(['__proto__ everywhere', JSON.stringify(base).replace('{', '{"__proto__":{"polluted":true},').replace('"attributes":{', '"attributes":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},').replace('"changes":null', protoChanges)]);
  hostile.push(['data.type __proto__', JSON.stringify({ ...base, data: { type: '__proto__', id: conversationId } })]);
  hostile.push(['wrong types', JSON.stringify({ ...base, name: 'kustomer.message.create', data: { type: 'message', id: objectId(), attributes: { channel: ['chat'], direction: { in: true }, createdAt: { $date: 1 } }, relationships: 'conversation' } })]);
  hostile.push(['nulls', JSON.stringify({ ...base, name: 'kustomer.conversation.update', data: { type: 'conversation', id: conversationId, attributes: null, relationships: null }, changes: { attributes: { status: null, satisfactionLevel: { before: null, after: null } } } })]);
  hostile.push(['numbers as strings and NaN-ish', JSON.stringify({ ...base, name: 'kustomer.conversation.update', changes: { attributes: { satisfactionLevel: { before: null, after: { rating: '1e309' } }, status: { before: 1, after: 2 } } } })]);
  let deep = '{"x":1}';
  for (let i = 0; i < 20000; i++) deep = `{"a":${deep}}`;
  hostile.push(['deep nesting', `{"id":"${objectId()}","name":"kustomer.conversation.update","data":{"type":"conversation","id":"${conversationId}","attributes":${deep}}}`]);
  hostile.push(['deep arrays', `{"id":"${objectId()}","name":"kustomer.message.create","data":${'['.repeat(50000)}${']'.repeat(50000)}}`]);
  hostile.push(['message on another resource type', JSON.stringify({ ...messageCreate({ conversationId, customerId, direction: 'in', createdAt: '2026' }), name: 'kustomer.customer.update' })]);
  hostile.push(['an email as a conversation id', JSON.stringify({ ...base, data: { ...base.data, id: 'jane@example.com' } })]);
  hostile.push(['a huge name', JSON.stringify({ ...base, name: 'kustomer.'.repeat(1000) })]);

  for (const [label, body] of hostile) {
    it(`${label}: answers without throwing, sends nothing, pollutes no prototype`, async () => {
      fresh();
      const response = await handler(raw(body, { 'x-kustomer-webhook-signature': sign(body, SECRET) }));
      expect([200, 400]).toContain(response.status);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  }

  it('a stitched id that looks like personal data is not used', async () => {
    fresh();
    const webhook = conversationCreate({ id: objectId(), customerId, createdAt: '2026-12-07T10:00:00.000Z', custom: { segmentAnonymousIdStr: 'jane@example.com', gaClientIdStr: '+1 555 010 9999' } });
    // The conversation start itself is reported, under the fallback id: drain it, then check what it carried.
    expect((await handler(signedRequest(URL, webhook, SECRET))).status).toBe(200);
    await sdks.close();
    const everything = JSON.stringify(collector.requests.map((r) => r.body));
    expect(everything).not.toContain('jane@example.com');
    expect(everything).not.toContain('555 010');
    expect(handler.stats().destinations.ga4.skipped).toBe(1);
    collector.reset();
  });
});
