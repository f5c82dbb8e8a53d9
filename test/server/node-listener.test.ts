import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, nodeListener, type ChatEvent } from '../../server/index';
import { messageCreate, objectId, sign } from '../../support/kustomer-webhooks.js';
import { SECRET } from './support';

const events: ChatEvent[] = [];
const handler = createWebhookHandler({ secret: SECRET, destinations: [{ name: 'recorder', send: async (event) => void events.push(event) }], maxBodyBytes: 64 * 1024 });
const listener = nodeListener(handler);
let server: http.Server;
let url: string;
let received = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    // Bytes the server actually read from the socket for this request.
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    // As after express.raw(): the raw body already read into req.body.
    if (req.url === '/raw') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => listener(Object.assign(req, { body: Buffer.concat(chunks) }), res));
      return;
    }
    // As after express.json(): the stream read, the raw bytes gone.
    if (req.url === '/parsed') {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => listener(Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) }), res));
      return;
    }
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const webhook = () => JSON.stringify(messageCreate({ conversationId: objectId(), customerId: objectId(), direction: 'in', createdAt: '2026-12-07T10:00:00.000Z' }), null, 2);

describe('nodeListener()', () => {
  it('answers a signed webhook from the request stream, and from a body parser’s raw Buffer', async () => {
    for (const path of ['/kustomer', '/raw']) {
      const body = webhook();
      const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kustomer-webhook-signature': sign(body, SECRET) }, body });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
    }
    expect(events.map((e) => e.action)).toEqual(['message_sent', 'message_sent']);
  });

  it('refuses an endless chunked body with 413 once it is over the limit, reading no further', async () => {
    received = 0;
    let sentBytes = 0;
    const chunk = new Uint8Array(16 * 1024).fill(32);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sentBytes += chunk.length;
        if (sentBytes > 64 * 1024 * 1024) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${url}/kustomer`, { method: 'POST', body: endless, duplex: 'half' } as RequestInit).catch((error: Error) => error);
    if (response instanceof Error) throw response;
    expect(response.status).toBe(413);
    expect(received).toBeLessThan(1024 * 1024);
  });

  it('answers 401, not hangs, when a JSON body parser ran first and took the raw bytes', async () => {
    const body = webhook();
    const response = await fetch(`${url}/parsed`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-kustomer-webhook-signature': sign(body, SECRET) }, body, signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(401);
  });

  it('answers 405 to a GET and 401 to an unsigned POST', async () => {
    expect((await fetch(`${url}/kustomer`)).status).toBe(405);
    expect((await fetch(`${url}/kustomer`, { method: 'POST', body: webhook() })).status).toBe(401);
  });
});
