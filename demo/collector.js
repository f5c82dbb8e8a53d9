/**
 * The demo's one HTTP server on 127.0.0.1: it serves the demo page and plays Segment's and RudderStack's
 * collection endpoints, recording what their SDKs deliver, so nothing leaves the machine.
 *
 *   const server = await startDemoServer({ port, sdkFile })
 *   server.url                  // 'http://127.0.0.1:PORT'
 *   server.collected()          // { segment: [...], rudderstack: [...], server: { segment, rudderstack, ga4 } }
 *                               // every delivered event, in order; `server`: what the webhook handler sent
 *   await server.close()
 *
 * GET /                    the demo page (demo/index.html with the SDK load snippets filled in)
 * GET /collected           the same JSON as collected()
 * GET /collected/stream    server-sent events: one `data:` line per delivery from now on
 * POST /v1/<t|p|i|…>       Segment (analytics-next posts one event per request, see support/sdk-setup.js)
 * POST /v1/<track|batch|…> RudderStack
 * POST /demo/kustomer-activity   the page tells the stand-in of Kustomer's servers what happened in the chat; it
 *                          sends the signed webhook to POST /webhooks/kustomer, the library's handler (demo/webhooks.js),
 *                          whose SDKs deliver to POST /server/<segment|rudderstack|ga4>/…
 * Only the files the page needs are served: demo/, dist/, the Kustomer stand-in and the SDK bundle.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rudderLoadSnippet, segmentLoadSnippet } from '../support/sdk-setup.js';
import { SERVER_PATHS, WEBHOOK_PATH, demoWebhooks } from './webhooks.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const STAND_IN = '/support/kustomer-stand-in.js';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** Which server-side destination a POST came from: the webhook handler's SDKs deliver to SERVER_PATHS. */
const serverDestinationOf = (pathname) => Object.keys(SERVER_PATHS).find((name) => SERVER_PATHS[name] === pathname);

/** Which SDK a POST came from: Segment names its endpoints by one letter, RudderStack by the full type. */
export function destinationOf(pathname) {
  if (/^\/v1\/[a-z]$/.test(pathname)) return 'segment';
  if (/^\/(v1|beacon\/v1)\/(track|page|identify|group|alias|screen|batch)$/.test(pathname)) return 'rudderstack';
  return undefined;
}

/**
 * Events of one POST body: RudderStack and Segment's Node SDK batch (`{ batch: [...] }`), Segment's browser SDK
 * sends one event, GA4's Measurement Protocol `{ client_id, events: [{ name, params }] }`.
 */
function eventsOf(body) {
  if (body && Array.isArray(body.batch)) return body.batch;
  if (body && Array.isArray(body.events)) return body.events.map((event) => ({ ...event, client_id: body.client_id }));
  return body && typeof body === 'object' ? [body] : [];
}

function staticFile(pathname, sdkFile) {
  if (pathname === '/sdks.js') return sdkFile;
  if (pathname === STAND_IN) return path.join(repoRoot, STAND_IN);
  const [, top] = pathname.split('/');
  if (top !== 'demo' && top !== 'dist') return undefined;
  const file = path.resolve(repoRoot, '.' + decodeURIComponent(pathname));
  return file.startsWith(path.join(repoRoot, top) + path.sep) ? file : undefined;
}

export async function startDemoServer({ port = 0, sdkFile }) {
  const collected = { segment: [], rudderstack: [], server: { segment: [], rudderstack: [], ga4: [] } };
  const streams = new Set();
  let url;

  const pageHtml = async (host) => {
    const template = await readFile(path.join(repoRoot, 'demo/index.html'), 'utf8');
    // Deliver to the origin the page was opened on (127.0.0.1 or localhost), so requests stay same-origin.
    const origin = /^(127\.0\.0\.1|localhost):\d+$/.test(host ?? '') ? `http://${host}` : url;
    // Same snippets as the e2e tests: the real SDKs, configured inline, delivering to this server only.
    return template.replace('/* SDK_SNIPPETS */', `${segmentLoadSnippet(origin)}\n${rudderLoadSnippet(origin)}`);
  };

  const record = (pathname, raw) => {
    const server = serverDestinationOf(pathname);
    const destination = server ?? destinationOf(pathname);
    if (!destination) return;
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    for (const event of eventsOf(body)) {
      const entry = { destination, via: server ? 'server' : 'browser', path: pathname, time: Date.now(), event };
      (server ? collected.server : collected)[destination].push(entry);
      for (const res of streams) res.write(`data: ${JSON.stringify(entry)}\n\n`);
    }
  };

  const server = http.createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    try {
      if (req.method === 'POST' && pathname === WEBHOOK_PATH) return webhooks.listener(req, res);
      if (req.method === 'POST') {
        const chunks = [];
        for await (const chunk of req) chunks.push(chunk);
        if (pathname === '/demo/kustomer-activity') {
          const statuses = await webhooks.activity(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          res.writeHead(200, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify({ statuses }));
        }
        const raw = Buffer.concat(chunks);
        // RudderStack's Node SDK gzips its batches.
        record(pathname, (/gzip/i.test(req.headers['content-encoding'] ?? '') ? gunzipSync(raw) : raw).toString('utf8'));
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end('OK');
      }
      if (pathname === '/' || pathname === '/index.html') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(await pageHtml(req.headers.host));
      }
      if (pathname === '/collected') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        return res.end(JSON.stringify(collected));
      }
      if (pathname === '/collected/stream') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return undefined;
      }
      if (pathname === '/favicon.ico') {
        res.writeHead(204);
        return res.end();
      }
      const file = staticFile(pathname, sdkFile);
      if (file) {
        const data = await readFile(file);
        res.writeHead(200, { 'Content-Type': `${TYPES[path.extname(file)] ?? 'application/octet-stream'}; charset=utf-8`, 'Cache-Control': 'no-store' });
        return res.end(data);
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    } catch (error) {
      const missing = error?.code === 'ENOENT';
      res.writeHead(missing ? 404 : 500, { 'Content-Type': 'text/plain' });
      return res.end(missing ? 'not found' : String(error));
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${server.address().port}`;
  const webhooks = demoWebhooks(url);

  return {
    url,
    collected: () => collected,
    webhookStats: () => webhooks.stats(),
    async close() {
      await webhooks.close();
      for (const res of streams) res.end();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
