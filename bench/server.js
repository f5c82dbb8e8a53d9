/**
 * The webhook handler's cost (kustomer-chat-analytics/server, from dist/), in Node, against a bare handler that only
 * checks the HMAC and parses the JSON: per webhook, in interleaved rounds, and the heap after 100,000 and 200,000
 * webhooks (the memory store holds at most 100,000 deliveries). Run by bench/run.js in a child process with
 * --expose-gc; `node --expose-gc bench/server.js` prints the JSON alone.
 */
import { spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageCreate, sign } from '../support/kustomer-webhooks.js';

const SECRET = 'bench-webhook-token';
const ROUNDS = 45;
const PER_ROUND = 2000;
const HEAP_WEBHOOKS = [100_000, 200_000];

let seq = 0;
/** A chat message as Kustomer sends it (support/kustomer-webhooks.js: pretty-printed, signed), each with a new id. */
function webhook() {
  const message = messageCreate({ conversationId: '6717c2a4e5b1f00012ab3500', customerId: '6717c29de5b1f00012ab34b9', direction: ++seq & 1 ? 'in' : 'out', createdAt: '2026-12-07T10:00:00.000Z' });
  const body = JSON.stringify(message, null, 2);
  return { body, signature: sign(body, SECRET) };
}

const request = ({ body, signature }) =>
  new Request('https://hooks.example.com/kustomer', {
    method: 'POST',
    // As Kustomer sends it: with its length.
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-kustomer-webhook-signature': signature },
    body,
  });

/** What a hand-written receiver does at least: the HMAC of the raw bytes, a constant-time compare, JSON.parse. */
async function bare(req) {
  const raw = new Uint8Array(await req.arrayBuffer());
  const expected = Buffer.from(req.headers.get('x-kustomer-webhook-signature') ?? '', 'hex');
  const actual = createHmac('sha256', SECRET).update(raw).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return new Response('', { status: 401 });
  JSON.parse(new TextDecoder().decode(raw));
  return new Response('{"ok":true}', { status: 200 });
}

async function timeRound(handler, webhooks) {
  const start = process.hrtime.bigint();
  for (const w of webhooks) {
    const response = await handler(request(w));
    if (response.status !== 200) throw new Error(`bench: the handler answered ${response.status}`);
  }
  return Number(process.hrtime.bigint() - start) / 1000 / webhooks.length;
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  return sorted[Math.floor(at)] + (sorted[Math.ceil(at)] - sorted[Math.floor(at)]) * (at - Math.floor(at));
};

async function measure() {
  const { createWebhookHandler } = await import(pathToFileURL(fileURLToPath(new URL('../dist/server.js', import.meta.url))).href);
  const noop = { name: 'noop', send: async () => {} };
  // The heap first, on a heap with nothing else of the bench in it yet: a handler, webhooks in batches (their bodies
  // made just before), settled before each reading.
  const gc = globalThis.gc ?? (() => {});
  // Several collections with turns between them: undici's Requests and Responses are freed by finalizers, which
  // run after a collection: a single gc() would still count some of theirs.
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const fresh = createWebhookHandler({ secret: SECRET, destinations: [noop] });
  await settle();
  const before = process.memoryUsage().heapUsed;
  const heap = [];
  let done = 0;
  for (const target of HEAP_WEBHOOKS) {
    while (done < target) {
      const batch = Array.from({ length: Math.min(5000, target - done) }, webhook);
      for (const w of batch) await fresh(request(w));
      done += batch.length;
    }
    await settle();
    heap.push({ webhooks: target, growth: process.memoryUsage().heapUsed - before });
  }
  const sent = fresh.stats().destinations.noop.sent;

  const handler = createWebhookHandler({ secret: SECRET, destinations: [noop] });
  // Warm both up (JIT), then interleave, alternating which goes first.
  await timeRound(bare, Array.from({ length: PER_ROUND }, webhook));
  await timeRound(handler, Array.from({ length: PER_ROUND }, webhook));
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = Array.from({ length: PER_ROUND }, webhook);
    const b = Array.from({ length: PER_ROUND }, webhook);
    let bareUs;
    let handlerUs;
    if (round & 1) {
      handlerUs = await timeRound(handler, b);
      bareUs = await timeRound(bare, a);
    } else {
      bareUs = await timeRound(bare, a);
      handlerUs = await timeRound(handler, b);
    }
    rounds.push({ bare: bareUs, handler: handlerUs, ratio: handlerUs / bareUs });
  }
  const ratios = rounds.map((r) => r.ratio);

  return {
    bare: quantile(rounds.map((r) => r.bare), 0.5),
    handler: quantile(rounds.map((r) => r.handler), 0.5),
    ratio: { median: quantile(ratios, 0.5), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) },
    rounds: ROUNDS,
    perRound: PER_ROUND,
    heap,
    gc: Boolean(globalThis.gc),
    sent,
  };
}

/** For bench/run.js: runs this file in its own Node, with --expose-gc, and returns its figures. */
export function serverCost() {
  const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`bench/server.js failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await measure(), null, 2)}\n`);
}
