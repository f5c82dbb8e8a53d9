import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_BIN } from '../../entry-points.cjs';
import { startCollector } from '../../support/collector.js';
import { repoRoot } from '../../support/e2e-page.js';
import { conversationCreate, objectId, signedRequest } from '../../support/kustomer-webhooks.js';
import { startRedis, type RedisProcess } from './redis';
import { SECRET, type Collector } from './support';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const binFile = path.join(repoRoot, pkg.bin[SERVER_BIN.command]);

let collector: Collector;
let redis: RedisProcess;
beforeAll(async () => {
  expect(existsSync(binFile), `${binFile} is not built: npm run build:dist`).toBe(true);
  collector = await startCollector();
  redis = await startRedis();
});
afterAll(async () => {
  await collector?.close();
  await redis?.stop();
});

/** Starts the command as npm would, its output collected; resolves with its URL once it listens. */
function start(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [binFile], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 20 s:\n${output}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /listening on port (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}`);
      }
    });
    void exited.then(() => reject(new Error(`exited before listening:\n${output}`)));
  });
  // Awaited by the tests that expect it to listen; the others only look at the exit.
  url.catch(() => {});
  return { child, url, exited, output: () => output };
}

describe(`the ${SERVER_BIN.command} command`, () => {
  it('answers a signed webhook and /healthz, logs one line per webhook, and exits 0 on SIGTERM after flushing', async () => {
    const server = start({
      KUSTOMER_WEBHOOK_SECRET: SECRET,
      SEGMENT_WRITE_KEY: 'segment-key',
      SEGMENT_HOST: collector.url,
      RUDDERSTACK_WRITE_KEY: 'rudder-key',
      RUDDERSTACK_DATA_PLANE_URL: collector.url,
      GA4_MEASUREMENT_ID: 'G-BIN',
      GA4_API_SECRET: 'ga4-secret',
      GA4_ENDPOINT: `${collector.url}/mp/collect`,
      REDIS_URL: redis.url,
    });
    const url = await server.url;
    const webhook = conversationCreate({ id: objectId(), customerId: objectId(), createdAt: '2026-12-07T10:00:00.000Z', custom: { gaClientIdStr: '555.666' } });
    const request = signedRequest(`${url}/kustomer`, webhook, SECRET);
    const answer = await fetch(request);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, events: 1 });
    const unsigned = await fetch(`${url}/kustomer`, { method: 'POST', body: JSON.stringify(webhook) });
    expect(unsigned.status).toBe(401);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, stats: { received: 2, refused: { signature: 1 }, destinations: { segment: { sent: 1 }, rudderstack: { sent: 1 }, ga4: { sent: 1 } } } });

    expect(collector.events('/v1/batch').map((e: { event: string }) => e.event)).toEqual(['Live Chat Conversation Started', 'Live Chat Conversation Started']);
    expect(collector.batchesFor('/mp/collect')).toHaveLength(1);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const lines = server.output().trim().split('\n');
    expect(lines.filter((line) => / kustomer\.conversation\.create /.test(line))).toEqual([expect.stringMatching(/ 200 kustomer\.conversation\.create \w+ actions=conversation_started$/)]);
    expect(lines.some((line) => / 401 - - refused=signature$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/stopped$/);
    // Nothing personal in the log either.
    expect(server.output()).not.toContain('555.666');
  });

  it('exits 1 with a message when the secret or every destination is missing', async () => {
    const noSecret = start({ SEGMENT_WRITE_KEY: 'k' });
    expect((await noSecret.exited).code).toBe(1);
    expect(noSecret.output()).toContain('KUSTOMER_WEBHOOK_SECRET is not set');
    const noDestination = start({ KUSTOMER_WEBHOOK_SECRET: SECRET });
    expect((await noDestination.exited).code).toBe(1);
    expect(noDestination.output()).toContain('no destination');
  });
});
