/**
 * `node:http`, Express and Fastify (raw mode) speak `(req, res)`, not Fetch: this turns one into the other. Typed
 * structurally, so that the declarations need no Node types.
 */

/** What is read of a `node:http` `IncomingMessage` (Express's `req` is one). */
export interface NodeRequestLike {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body's chunks, its end, a broken connection. */
  on(event: 'data' | 'end' | 'error', listener: (chunk?: unknown) => void): unknown;
  /** Stops reading (backpressure, or a body over the limit). */
  pause(): unknown;
  /** Reads on. */
  resume(): unknown;
  /** Set by a body parser that ran first, such as `express.raw()`: used as the raw body. */
  body?: unknown;
  /** True once the body was read (by a JSON body parser that ran first): then there is no raw body left. */
  readableEnded?: boolean;
}

/** What is used of a `node:http` `ServerResponse`. */
export interface NodeResponseLike {
  statusCode: number;
  /** Sets one header of the answer. */
  setHeader(name: string, value: string): unknown;
  /** Sends the answer's body and ends it. */
  end(body?: string): unknown;
}

function bodyStream(req: NodeRequestLike): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk) => {
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk as ArrayBuffer));
        // Backpressure: stop reading until the handler asks for more.
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on('end', () => attemptClose(controller));
      req.on('error', (error) => controller.error(error));
    },
    pull() {
      req.resume();
    },
    cancel() {
      // The handler read enough (an oversized body): read no further.
      req.pause();
    },
  }, { highWaterMark: 1 });
}

function attemptClose(controller: ReadableStreamDefaultController<Uint8Array>) {
  try {
    controller.close();
  } catch {
    // cancelled already
  }
}

function requestOf(req: NodeRequestLike): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (typeof value === 'string') headers.set(name, value);
  }
  const url = new URL(req.url ?? '/', `http://${headers.get('host') ?? 'localhost'}`);
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const parsed = req.body;
  // A parser that kept the raw bytes (`express.raw()`) left them in `body`; one that parsed them (`express.json()`)
  // left nothing to check the signature on: an empty body, refused with 401.
  const body =
    parsed instanceof Uint8Array ? parsed : typeof parsed === 'string' ? new TextEncoder().encode(parsed) : req.readableEnded ? new Uint8Array(0) : bodyStream(req);
  // `duplex` is required by Node's fetch for a streamed body; other runtimes ignore it.
  return new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
}

/**
 * The handler as a `node:http` listener: `http.createServer(nodeListener(handler))`, or `app.post('/kustomer',
 * nodeListener(handler))` in Express, mounted before any JSON body parser (or after `express.raw({ type: '*\/*' })`):
 * the signature is over the raw bytes.
 *
 * @example
 * http.createServer(nodeListener(createWebhookHandler({ secret, destinations }))).listen(8080);
 */
export function nodeListener(handler: (request: Request) => Promise<Response>): (req: NodeRequestLike, res: NodeResponseLike) => void {
  return (req, res) => {
    const respond = async () => {
      let response: Response;
      try {
        response = await handler(requestOf(req));
      } catch {
        response = new Response('{"ok":false,"error":"unreadable"}', { status: 400, headers: { 'content-type': 'application/json' } });
      }
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(await response.text());
    };
    respond().catch(() => {
      try {
        res.statusCode = 500;
        res.end();
      } catch {
        // the connection is gone
      }
    });
  };
}
