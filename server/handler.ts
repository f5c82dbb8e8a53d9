import { attempt } from '../core/safe';
import { CHAT_ACTIONS, type ChatAction, type ChatEvent } from '../core/schema';
import type { ServerDestination } from './destination';
import { conversationIds, type KustomerApiOptions } from './kustomer-api';
import { asWebhook, IDENTITY_NAMES, mapWebhook, type IdentityName, type MapOptions, type WebhookIdentity } from './map';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './read-body';
import { memoryStore, type DeliveryStore } from './store';
import { createVerifier } from './verify';

/** Options of `createWebhookHandler()`. */
export interface WebhookHandlerOptions {
  /** The webhook's token, from Kustomer (Settings › Platform › Outbound webhooks): the HMAC key of its signatures. */
  secret: string;
  destinations: ServerDestination[];
  /** Report only these actions (for a site whose browser already reports some). Default: every action. */
  actions?: ChatAction[];
  /** Where deliveries are remembered. Default `memoryStore()`; `redisStore(client)` for several instances. */
  store?: DeliveryStore;
  /** `true` logs to the console; a function receives every message. */
  debug?: boolean | ((message: string, detail?: unknown) => void);
  /** Paths of the resource's attributes to forward in `event.extra` (`'priority'`). Off by default: opt-in only. */
  allowFields?: string[];
  /** Message channels reported. Default `['chat']`. */
  channels?: string[];
  /** How long each destination may take to accept an event, in milliseconds. Default 4000. */
  timeoutMs?: number;
  /**
   * How long the store may take, in all, per request, in milliseconds; after it, the request goes on as if the
   * store knew nothing (at least once). Default a quarter of `timeoutMs`, at most 1000.
   */
  storeTimeoutMs?: number;
  /** Bodies over this many bytes are refused with 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Conversation custom attribute per identity. Default `<identity>Str`, as `identityStitching()` writes them. */
  identityAttributes?: Partial<Record<IdentityName, string>>;
  /**
   * Optional: when a message arrives before the handler knows its conversation's ids, read them from Kustomer's
   * API (`GET /v1/conversations/{id}`) with a read-only key. Off by default.
   */
  kustomerApi?: KustomerApiOptions;
  /** Called once per request with what became of it: for a log line per delivery. */
  onWebhook?: (summary: WebhookSummary) => void;
}

/** What became of one request: `onWebhook`'s argument. Ids and names only, nothing from the resource. */
export interface WebhookSummary {
  /** The HTTP status answered. */
  status: number;
  /** The webhook's id and event name, once its signature and shape were checked. */
  id?: string;
  name?: string;
  refused?: RefusalReason;
  /** The actions reported (sent, or already sent, to every destination that takes them). */
  actions: ChatAction[];
  /** `destination:action` pairs that failed. */
  failed: string[];
}

/** Why a request was refused, each counted in `stats().refused`. */
export type RefusalReason = 'method' | 'too_large' | 'signature' | 'not_json' | 'not_a_webhook';

/** Counts for one destination since the handler was created. */
export interface ServerDestinationStats {
  sent: number;
  failed: number;
  /** Events this destination cannot take (GA4 without a client id). */
  skipped: number;
  /** Events not sent again because this destination already accepted them (a retried webhook). */
  duplicates: number;
}

/** What `handler.stats()` returns. */
export interface WebhookHandlerStats {
  received: number;
  refused: Record<RefusalReason, number>;
  /** Verified webhooks that mean no chat action (another channel, another resource, a change of no interest). */
  ignored: number;
  /** Chat events the webhooks produced. */
  events: number;
  destinations: Record<string, ServerDestinationStats>;
}

/** A WHATWG Fetch handler: Node 18+, Next.js route handlers, Cloudflare Workers, Deno, Bun. */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** Counts of what was received, refused, sent, failed and skipped. */
  stats(): WebhookHandlerStats;
}

const DELIVERED = 'd:';
const IDENTITY = 'i:';

const JSON_HEADERS = { 'content-type': 'application/json' };

function json(status: number, body: Record<string, unknown>, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS });
}

// decode() without `stream` keeps no state between calls: one decoder serves every request.
const UTF8 = new TextDecoder();

/**
 * One time limit for every destination of a request: they all start at once, so one timer is each one's limit
 * (and one AbortController instead of one per call: creating them is most of a webhook's cost).
 */
function deadline(ms: number) {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  expired.catch(() => {}); // raced by every call; unobserved once they have all settled
  return { signal: controller.signal, expired, clear: () => clearTimeout(timer) };
}

/**
 * The store's share of a request: its calls answer `undefined` once `ms` are over, so that a store that hangs (a
 * Redis client queueing commands while it reconnects) costs de-duplication, never the answer to Kustomer. The
 * timer starts with the first call that returns a promise: a synchronous store (the memory store) needs none.
 */
function storeDeadline(ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expired: Promise<undefined> | undefined;
  return {
    expired: () => (expired ??= new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)))),
    clear: () => clearTimeout(timer),
  };
}

type StoreLimit = ReturnType<typeof storeDeadline>;

/**
 * A store call that cannot fail the request: a store that is down or slow costs de-duplication, never a delivery.
 * A synchronous store's answer comes back as it is, without a promise around it.
 */
function safely<T>(call: () => Promise<T> | T, limit: StoreLimit, onError: (error: unknown) => void): Promise<T | undefined> | T | undefined {
  const failed = (error: unknown) => {
    onError(error);
    return undefined;
  };
  try {
    const result = call();
    const pending = typeof (result as { then?: unknown } | undefined)?.then === 'function';
    return pending ? Promise.race([result, limit.expired()]).catch(failed) : (result as T);
  } catch (error) {
    return failed(error);
  }
}

/**
 * A handler for Kustomer's outbound webhooks: checks the signature on the raw bytes, maps the resource to chat
 * events with the browser's ids, and sends each to every destination. It answers 2xx once every destination has
 * accepted every event, 5xx when one has not, so that Kustomer retries; a retry goes only to the destinations that
 * failed. Never throws.
 *
 * @example
 * const handler = createWebhookHandler({ secret: process.env.KUSTOMER_WEBHOOK_SECRET, destinations: [segmentServer(analytics)] });
 * export const POST = handler; // a Next.js route handler
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const verify = createVerifier(String(options.secret ?? ''));
  const destinations = [...options.destinations];
  const store = options.store ?? memoryStore();
  const actions = new Set<ChatAction>(options.actions ?? CHAT_ACTIONS);
  const timeoutMs = options.timeoutMs ?? 4000;
  const storeTimeoutMs = options.storeTimeoutMs ?? Math.min(1000, timeoutMs / 4);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const identityAttributes = Object.fromEntries(IDENTITY_NAMES.map((name) => [name, options.identityAttributes?.[name] ?? `${name}Str`])) as MapOptions['identityAttributes'];
  const mapOptions: MapOptions = { channels: new Set(options.channels ?? ['chat']), allowFields: options.allowFields ?? [], identityAttributes };
  const fetchIds = options.kustomerApi ? conversationIds(options.kustomerApi, mapOptions) : undefined;
  const log = options.debug === true ? (message: string, detail?: unknown) => console.debug(`[kustomer-chat-analytics/server] ${message}`, detail ?? '') : options.debug || undefined;
  const debug = (message: string, detail?: unknown) => {
    if (log) attempt(() => log(message, detail));
  };

  const stats: WebhookHandlerStats = {
    received: 0,
    refused: { method: 0, too_large: 0, signature: 0, not_json: 0, not_a_webhook: 0 },
    ignored: 0,
    events: 0,
    destinations: Object.fromEntries(destinations.map((d) => [d.name, { sent: 0, failed: 0, skipped: 0, duplicates: 0 }])),
  };
  const refuse = (summary: WebhookSummary, status: number, reason: RefusalReason, headers?: Record<string, string>) => {
    stats.refused[reason]++;
    summary.refused = reason;
    debug(`refused: ${reason}`);
    return json(status, { ok: false, error: reason }, headers);
  };

  /** The ids for this event: the resource's own, else those remembered for its conversation. */
  const identityFor = async (conversationId: string | undefined, own: WebhookIdentity, limit: StoreLimit): Promise<WebhookIdentity> => {
    if (!conversationId) return own;
    const hasIds = IDENTITY_NAMES.some((name) => own[name]);
    if (hasIds) {
      const ids = Object.fromEntries(IDENTITY_NAMES.filter((name) => own[name]).map((name) => [name, own[name]]));
      await safely(() => store.set(IDENTITY + conversationId, JSON.stringify(ids)), limit, (e) => debug('store: identity not saved', e));
      return own;
    }
    const saved = await safely(() => store.get(IDENTITY + conversationId), limit, (e) => debug('store: identity not read', e));
    let parsed: unknown = saved ? attempt(() => JSON.parse(saved) as unknown) : undefined;
    if (!parsed && fetchIds) {
      // Bounded by the destinations' time limit: the API's answer costs the ids, never the delivery.
      const api = deadline(timeoutMs / 2);
      const fetched: WebhookIdentity = await Promise.race([fetchIds(conversationId, api.signal), api.expired.catch((): WebhookIdentity => ({}))]).finally(api.clear);
      if (IDENTITY_NAMES.some((name) => fetched[name])) {
        parsed = fetched;
        await safely(() => store.set(IDENTITY + conversationId, JSON.stringify(fetched)), limit, (e) => debug('store: identity not saved', e));
      }
    }
    if (!parsed || typeof parsed !== 'object') return own; // nothing remembered (a conversation not seen yet): no copy
    const identity: WebhookIdentity = { ...own };
    for (const name of IDENTITY_NAMES) {
      const value = (parsed as Record<string, unknown>)[name];
      if (typeof value === 'string') identity[name] = value;
    }
    return identity;
  };

  /** One event to one destination, unless it already accepted it; `false` when it failed. */
  const deliver = async (
    destination: ServerDestination,
    event: ChatEvent,
    identity: WebhookIdentity,
    limit: ReturnType<typeof deadline>,
    storeLimit: StoreLimit,
  ): Promise<boolean> => {
    const counts = stats.destinations[destination.name];
    const key = `${DELIVERED}${destination.name}:${event.id}`;
    if (await safely(() => store.get(key), storeLimit, (e) => debug('store: delivery not read', e))) {
      counts.duplicates++;
      debug(`${destination.name}: already accepted`, event.id);
      return true;
    }
    try {
      // new Promise(): a send() that throws at once fails like one that rejects, with no extra turn before it runs.
      const sent = new Promise<void | 'skipped'>((resolve) => resolve(destination.send(event, identity, limit.signal)));
      const outcome = await Promise.race([sent, limit.expired]);
      if (outcome === 'skipped') {
        counts.skipped++;
        debug(`${destination.name}: skipped (no id for this tool)`, event.id);
        return true;
      }
    } catch (error) {
      counts.failed++;
      debug(`${destination.name}: failed`, error);
      return false;
    }
    counts.sent++;
    await safely(() => store.set(key, '1'), storeLimit, (e) => debug('store: delivery not saved', e));
    return true;
  };

  const handle = async (request: Request, summary: WebhookSummary): Promise<Response> => {
    stats.received++;
    if (request.method !== 'POST') return refuse(summary, 405, 'method', { allow: 'POST' });
    const body = await readBody(request, maxBodyBytes);
    if (!body) return refuse(summary, 413, 'too_large', { connection: 'close' });
    if (!(await verify(body, request.headers.get('x-kustomer-webhook-signature')))) return refuse(summary, 401, 'signature');
    let parsed: unknown;
    try {
      parsed = JSON.parse(UTF8.decode(body));
    } catch {
      return refuse(summary, 400, 'not_json');
    }
    const webhook = asWebhook(parsed);
    if (!webhook) return refuse(summary, 400, 'not_a_webhook');
    summary.id = webhook.id;
    summary.name = webhook.name;
    const mapped = mapWebhook(webhook, mapOptions);
    const storeLimit = storeDeadline(storeTimeoutMs);
    try {
      return await report(webhook.name, webhook.id, mapped, storeLimit, summary);
    } finally {
      storeLimit.clear();
    }
  };

  const report = async (name: string, id: string, mapped: ReturnType<typeof mapWebhook>, storeLimit: StoreLimit, summary: WebhookSummary): Promise<Response> => {
    const identity = await identityFor(mapped.conversationId, mapped.identity, storeLimit);
    const events = mapped.events.filter((event) => actions.has(event.action));
    if (!events.length) {
      stats.ignored++;
      debug(`${name} ${id}: nothing to report`, mapped.ignored ?? 'action not in `actions`');
      return json(200, { ok: true, events: 0 });
    }
    stats.events += events.length;
    summary.actions = events.map((event) => event.action);
    const failed = summary.failed;
    const limit = deadline(timeoutMs);
    try {
      await Promise.all(
        destinations.flatMap((destination) =>
          events.map(async (event) => {
            if (!(await deliver(destination, event, identity, limit, storeLimit))) failed.push(`${destination.name}:${event.action}`);
          }),
        ),
      );
    } finally {
      limit.clear();
    }
    if (log) debug(`${name} ${id}: ${events.map((e) => e.action).join(', ')}`, failed.length ? { failed } : undefined); // built only to be logged
    return failed.length ? json(503, { ok: false, failed }, { 'retry-after': '60' }) : json(200, { ok: true, events: events.length });
  };

  const handler = (async (request: Request) => {
    const summary: WebhookSummary = { status: 0, actions: [], failed: [] };
    let response: Response;
    try {
      response = await handle(request, summary);
    } catch (error) {
      // Reading the body can fail (a client that hangs up): a 400, never an exception in the caller's server.
      debug('request failed', error);
      response = json(400, { ok: false, error: 'unreadable' });
    }
    summary.status = response.status;
    if (options.onWebhook) attempt(() => options.onWebhook!(summary), (e) => debug('onWebhook failed', e));
    return response;
  }) as WebhookHandler;
  handler.stats = () => JSON.parse(JSON.stringify(stats)) as WebhookHandlerStats;
  return handler;
}
