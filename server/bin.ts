/**
 * `kustomer-chat-analytics-webhooks`: the webhook handler as an HTTP server, set up from environment variables
 * (docs/server.md). Logs one line per webhook, answers `GET /healthz`, and on SIGTERM or SIGINT stops taking
 * requests, lets those in flight finish and flushes the SDKs before it exits.
 */
import http from 'node:http';
// The package's own ./server path: the build keeps it an import of dist/server.js rather than a second copy.
import { createWebhookHandler, ga4MeasurementProtocol, nodeListener, redisStore, rudderstackServer, segmentServer } from './index';
import type { DeliveryStore, ServerDestination } from './index';

const env = process.env;
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`kustomer-chat-analytics-webhooks: ${message}\n`);
  process.exit(1);
};

/** An optional peer, from the user's node_modules; a clear message when it is not installed. */
async function peer<T>(name: string, variable: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    return fail(`${variable} is set but ${name} is not installed: npm install ${name}`);
  }
}

// Flush soon: the handler answers Kustomer only once each SDK has delivered (docs/server.md, "Delivery").
const FLUSH_INTERVAL_MS = 200;

async function destinations(): Promise<{ list: ServerDestination[]; close: Array<() => Promise<void>> }> {
  const list: ServerDestination[] = [];
  if (env.SEGMENT_WRITE_KEY) {
    const { Analytics } = await peer<{ Analytics: new (settings: object) => Parameters<typeof segmentServer>[0] }>('@segment/analytics-node', 'SEGMENT_WRITE_KEY');
    list.push(segmentServer(new Analytics({ writeKey: env.SEGMENT_WRITE_KEY, host: env.SEGMENT_HOST || undefined, flushInterval: FLUSH_INTERVAL_MS })));
  }
  if (env.RUDDERSTACK_WRITE_KEY) {
    if (!env.RUDDERSTACK_DATA_PLANE_URL) fail('RUDDERSTACK_WRITE_KEY needs RUDDERSTACK_DATA_PLANE_URL');
    const module = await peer<{ default: new (writeKey: string, options: object) => Parameters<typeof rudderstackServer>[0] }>('@rudderstack/rudder-sdk-node', 'RUDDERSTACK_WRITE_KEY');
    list.push(rudderstackServer(new module.default(env.RUDDERSTACK_WRITE_KEY, { dataPlaneUrl: env.RUDDERSTACK_DATA_PLANE_URL, flushInterval: FLUSH_INTERVAL_MS, logLevel: 'error' })));
  }
  if (env.GA4_MEASUREMENT_ID || env.GA4_API_SECRET) {
    if (!env.GA4_MEASUREMENT_ID || !env.GA4_API_SECRET) fail('GA4 needs both GA4_MEASUREMENT_ID and GA4_API_SECRET');
    list.push(ga4MeasurementProtocol({ measurementId: env.GA4_MEASUREMENT_ID!, apiSecret: env.GA4_API_SECRET!, endpoint: env.GA4_ENDPOINT || undefined }));
  }
  if (!list.length) fail('no destination: set SEGMENT_WRITE_KEY, RUDDERSTACK_WRITE_KEY (+ RUDDERSTACK_DATA_PLANE_URL) or GA4_MEASUREMENT_ID + GA4_API_SECRET');
  return { list, close: list.map((destination) => () => destination.close?.() ?? Promise.resolve()) };
}

async function store(): Promise<{ store?: DeliveryStore; close(): Promise<void> }> {
  if (!env.REDIS_URL) return { close: async () => {} };
  type Client = Parameters<typeof redisStore>[0] & { connect(): Promise<unknown>; quit(): Promise<unknown>; on(event: string, listener: (error: unknown) => void): unknown };
  const { createClient } = await peer<{ createClient(options: { url: string }): Client }>('redis', 'REDIS_URL');
  const client = createClient({ url: env.REDIS_URL });
  client.on('error', (error) => log(`redis error: ${String(error)}`));
  await client.connect();
  return { store: redisStore(client), close: async () => void (await client.quit().catch(() => {})) };
}

async function main() {
  const secret = env.KUSTOMER_WEBHOOK_SECRET ?? fail('KUSTOMER_WEBHOOK_SECRET is not set (the webhook token from Kustomer)');
  const port = Number(env.PORT ?? 8080);
  const { list, close } = await destinations();
  const shared = await store();
  const handler = createWebhookHandler({
    secret,
    destinations: list,
    store: shared.store,
    kustomerApi: env.KUSTOMER_API_KEY && env.KUSTOMER_API_URL ? { apiKey: env.KUSTOMER_API_KEY, baseUrl: env.KUSTOMER_API_URL } : undefined,
    onWebhook: (s) => log(`${s.status} ${s.name ?? '-'} ${s.id ?? '-'} ${s.refused ? `refused=${s.refused}` : `actions=${s.actions.join(',') || '-'}`}${s.failed.length ? ` failed=${s.failed.join(',')}` : ''}`),
  });
  const listener = nodeListener(handler);
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, stats: handler.stats() }));
      return;
    }
    listener(req, res);
  });
  server.listen(port, () => {
    const address = server.address();
    log(`listening on port ${typeof address === 'object' && address ? address.port : port}, destinations: ${list.map((d) => d.name).join(', ')}${shared.store ? ', store: redis' : ''}`);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing requests in flight, flushing`);
    server.close(async () => {
      await Promise.all(close.map((flush) => flush().catch((error: unknown) => log(`flush failed: ${String(error)}`))));
      await shared.close();
      log('stopped');
      process.exit(0);
    });
    server.closeIdleConnections?.();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => fail(String(error)));
