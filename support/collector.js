/**
 * Tiny local HTTP "collector" for e2e tests: the only host the browser talks to.
 *
 *   const collector = await startCollector({ staticRoot? })
 *   collector.url        // 'http://127.0.0.1:PORT'
 *   collector.port
 *   collector.requests   // every POST: { path, method, headers, body, time }
 *                        //   path    = URL path + query (e.g. '/v1/t', '/v1/track')
 *                        //   body    = parsed JSON when possible (gunzipped first if
 *                        //             content-encoding: gzip), else the raw string
 *   collector.batchesFor('/v1/')  // POST requests whose path starts with the prefix
 *   collector.events('/v1/')      // flattened events: a body with `batch: [...]` gives
 *                                 // its items, any other object body is one event
 *   await collector.waitFor(() => collector.events('/v1/t').length >= 1, 5000)
 *   collector.page('/csp.html', '<!doctype html>...', { 'Content-Security-Policy': '...' })
 *   collector.respond((req) => req.path === '/v1/t' ? { status: 500 } : undefined)
 *                        // override POST answers ({ status, headers, body }); undefined = 200 'OK'.
 *                        // Requests are recorded either way. collector.respond(null) resets.
 *   collector.reset()    // forget recorded requests and the respond() hook (routes stay)
 *   await collector.close()
 *
 * CORS: every response echoes the Origin (or '*'), allows credentials, any header,
 * and POST/GET/OPTIONS, so fetch/XHR/sendBeacon from test pages all succeed.
 * GET: in-memory pages first, then files under `staticRoot` (if given), else 404.
 * GET /favicon.ico: 204 (keeps the page console free of 404 noise).
 * POST to any path: recorded, answered 200 'OK' (unless a respond() hook says otherwise).
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function corsHeaders(req) {
  return {
    'Access-Control-Allow-Origin': req.headers.origin || '*',
    'Access-Control-Allow-Credentials': 'true',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || '*',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

function parseBody(buf, headers) {
  let raw = buf;
  if (/gzip/i.test(headers['content-encoding'] || '')) raw = gunzipSync(buf);
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startCollector({ staticRoot } = {}) {
  const requests = [];
  const pages = new Map();
  const root = staticRoot ? path.resolve(staticRoot) : null;
  let responder = null;

  async function serveGet(req, res, pathname) {
    const page = pages.get(pathname);
    if (page) {
      res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store', ...page.headers });
      return res.end(page.html);
    }
    if (pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (root) {
      const file = path.resolve(root, '.' + decodeURIComponent(pathname));
      if (file.startsWith(root + path.sep)) {
        try {
          const data = await readFile(file);
          const type = TYPES[path.extname(file)] || 'application/octet-stream';
          res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
          return res.end(data);
        } catch {
          /* fall through to 404 */
        }
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(corsHeaders(req))) res.setHeader(k, v);
    const { pathname, search } = new URL(req.url, 'http://127.0.0.1');

    if (req.method === 'OPTIONS') {
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      serveGet(req, res, pathname).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try {
        body = parseBody(Buffer.concat(chunks), req.headers);
      } catch (err) {
        body = { __parseError: String(err) };
      }
      const record = { path: pathname + search, method: req.method, headers: req.headers, body, time: Date.now() };
      requests.push(record);
      const custom = (responder && responder(record)) || {};
      res.writeHead(custom.status ?? 200, { 'Content-Type': 'text/plain', ...custom.headers });
      res.end(custom.body ?? 'OK');
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  const batchesFor = (prefix = '/') => requests.filter((r) => r.path.startsWith(prefix));
  const events = (prefix = '/') =>
    batchesFor(prefix).flatMap((r) =>
      r.body && Array.isArray(r.body.batch) ? r.body.batch : typeof r.body === 'object' ? [r.body] : [],
    );

  async function waitFor(predicate, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await predicate();
      if (result) return result;
      if (Date.now() > deadline) {
        const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
        throw new Error(`collector.waitFor timed out after ${timeoutMs}ms; requests seen: ${seen}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    batchesFor,
    events,
    waitFor,
    page(pathname, html, headers = {}) {
      pages.set(pathname, { html, headers });
    },
    respond(fn) {
      responder = fn;
    },
    reset() {
      requests.length = 0;
      responder = null;
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
