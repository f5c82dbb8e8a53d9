import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, memoryStore, redisStore } from '../../server/index';
import { startCollector } from '../../support/collector.js';
import { conversationUpdate, messageCreate, objectId, signedRequest } from '../../support/kustomer-webhooks.js';
import { startRedis, type RedisProcess } from './redis';
import { GA4_PATH, SECRET, ga4Hits, realDestinations, rudderEvents, segmentEvents, type Collector } from './support';

const URL = 'https://hooks.example.com/kustomer';

let redis: RedisProcess;
let collector: Collector;
const clients: Array<ReturnType<typeof createClient>> = [];
beforeAll(async () => {
  redis = await startRedis();
  collector = await startCollector();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit().catch(() => {})));
  await collector?.close();
  await redis?.stop();
});

async function connected() {
  const client = createClient({ url: redis.url });
  clients.push(client);
  await client.connect();
  return client;
}

describe('redisStore() with a real redis-server', () => {
  it('two handler instances sharing it send a retried webhook once, and only to the destination that failed', async () => {
    const [a, b] = [realDestinations(collector), realDestinations(collector)];
    const prefix = `shared-${objectId()}:`;
    const first = createWebhookHandler({ secret: SECRET, destinations: a.destinations, store: redisStore(await connected(), { prefix }) });
    const second = createWebhookHandler({ secret: SECRET, destinations: b.destinations, store: redisStore(await connected(), { prefix }) });
    const conversationId = objectId();
    const customerId = objectId();
    // Instance one learns the stitched ids; instance two will need them for the message.
    const stitched = conversationUpdate(
      { id: conversationId, customerId, createdAt: '2026-12-07T10:00:00.000Z', custom: { gaClientIdStr: '111.222', segmentAnonymousIdStr: 'seg-anon-1' } },
      { 'custom.gaClientIdStr': { before: null, after: '111.222' } },
    );
    expect((await first(signedRequest(URL, stitched, SECRET))).status).toBe(200);
    const message = messageCreate({ conversationId, customerId, direction: 'in', createdAt: '2026-12-07T10:00:10.000Z' });
    collector.respond((request: { path: string }) => (request.path.startsWith(GA4_PATH) ? { status: 503 } : undefined));
    expect((await first(signedRequest(URL, message, SECRET))).status).toBe(503);
    collector.respond(null);
    // Kustomer's retry reaches the other instance behind the load balancer.
    expect((await second(signedRequest(URL, message, SECRET))).status).toBe(200);
    // And once more (at least once): nothing left to send.
    expect((await first(signedRequest(URL, message, SECRET))).status).toBe(200);
    await Promise.all([a.close(), b.close()]);

    expect(segmentEvents(collector).map((e) => [e.event, e.anonymousId])).toEqual([['Live Chat Message Sent', 'seg-anon-1']]);
    expect(rudderEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Sent']);
    // GA4: the failed attempt from instance one, then the retry from instance two, with the ids instance one saw.
    expect(ga4Hits(collector).map((hit) => [hit.events[0].name, hit.client_id])).toEqual([
      ['chat_message_sent', '111.222'],
      ['chat_message_sent', '111.222'],
    ]);
    expect(second.stats().destinations).toMatchObject({ segment: { sent: 0, duplicates: 1 }, rudderstack: { sent: 0, duplicates: 1 }, ga4: { sent: 1 } });
  });

  it('expires entries after ttlMs (Redis PX)', async () => {
    const client = await connected();
    const store = redisStore(client, { prefix: `ttl-${objectId()}:`, ttlMs: 150 });
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.get('k')).toBeUndefined();
  });

  it('a store that fails costs de-duplication, never the delivery', async () => {
    const sdks = realDestinations(collector);
    collector.reset();
    const broken = { get: () => Promise.reject(new Error('redis down')), set: () => Promise.reject(new Error('redis down')) };
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations.slice(0, 1), store: broken });
    const message = messageCreate({ conversationId: objectId(), customerId: objectId(), direction: 'out', createdAt: '2026-12-07T10:00:10.000Z' });
    expect((await handler(signedRequest(URL, message, SECRET))).status).toBe(200);
    await sdks.close();
    expect(segmentEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Received']);
  });


  it('a store that hangs (Redis reconnecting) delays the answer by storeTimeoutMs at most', async () => {
    const sdks = realDestinations(collector);
    collector.reset();
    const hanging = { get: () => new Promise<string>(() => {}), set: () => new Promise<void>(() => {}) };
    const handler = createWebhookHandler({ secret: SECRET, destinations: sdks.destinations.slice(0, 1), store: hanging, storeTimeoutMs: 200 });
    const message = messageCreate({ conversationId: objectId(), customerId: objectId(), direction: 'in', createdAt: '2026-12-07T10:00:10.000Z' });
    const started = Date.now();
    expect((await handler(signedRequest(URL, message, SECRET))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    await sdks.close();
    expect(segmentEvents(collector).map((e) => e.event)).toEqual(['Live Chat Message Sent']);
  });
});

describe('memoryStore()', () => {
  it('keeps at most maxEntries, dropping the least recently used, and expires entries', () => {
    let now = 0;
    const store = memoryStore({ maxEntries: 2, ttlMs: 100, now: () => now });
    store.set('a', '1');
    store.set('b', '1');
    store.get('a');
    store.set('c', '1');
    expect([store.get('a'), store.get('b'), store.get('c')]).toEqual(['1', undefined, '1']);
    now = 100;
    expect(store.get('a')).toBeUndefined();
  });
});
