/**
 * The handler as a Segment Source Function: `dist/segment-source-function.js`, one file to paste into Segment's
 * Functions editor (Connections › Catalog › Functions › New Function › Source). Built from the same mapping as
 * the handler. From Segment's docs (segmentio/segment-docs, src/connections/functions/source-functions.md and
 * src/_includes/content/functions/runtime.md):
 *
 * - Segment calls `async function onRequest(request, settings)`; `request.json()` gives the parsed body,
 *   `request.headers.get()` the headers; output goes through the `Segment` global (`Segment.track({ event, userId,
 *   anonymousId, properties, context })`).
 * - The function sees parsed JSON (Segment even alphabetises deployed payloads' fields), so Kustomer's raw-body
 *   HMAC cannot be checked: Kustomer's webhook sends a custom header with a shared secret instead, compared here in
 *   constant time.
 * - Only `RetryError` (and time-outs, 5 s) are retried, up to six times; any other error drops the request.
 *   `ValidationError` marks invalid input. Payloads up to 512 KiB. Node 14; `cache` is process-local.
 */
import { read } from '../core/safe';
import type { ChatEvent } from '../core/schema';
import { liveChatMessage, visitorIds } from './destination';
import { asWebhook, IDENTITY_NAMES, mapWebhook, type MapOptions, type WebhookIdentity } from './map';

/** The function's settings, as the Functions editor's settings (strings and booleans). */
interface FunctionSettings {
  /** Required: the value Kustomer's webhook sends in its custom header. */
  sharedSecret?: string;
  /** The custom header's name. Default `x-kustomer-chat-analytics-secret`. */
  sharedSecretHeader?: string;
  /** Message channels reported, comma-separated. Default `chat`. */
  channels?: string;
  /** Actions reported, comma-separated. Default: every action. */
  actions?: string;
}

interface FunctionRequest {
  json(): unknown;
  headers: { get(name: string): string | null };
}

interface SegmentGlobal {
  track(message: object): unknown;
}

interface FunctionCache {
  load(key: string, ttl: number, fn: () => Promise<unknown>): Promise<unknown>;
  delete(key: string): void;
}

declare const Segment: SegmentGlobal;
declare const RetryError: (new (message: string) => Error) | undefined;
declare const ValidationError: (new (message: string) => Error) | undefined;
declare const cache: FunctionCache | undefined;

const DEFAULT_HEADER = 'x-kustomer-chat-analytics-secret';
const IDENTITY_TTL_MS = 2 * 60 * 60 * 1000;

function invalid(message: string): Error {
  return typeof ValidationError === 'function' ? new ValidationError(message) : new Error(message);
}

function retry(message: string): Error {
  return typeof RetryError === 'function' ? new RetryError(message) : new Error(message);
}

/** Equal strings, in time that depends only on their length. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i % (given.length || 1)) || 0) ^ expected.charCodeAt(i);
  return difference === 0 && expected.length > 0;
}

const list = (value: unknown, fallback: string[]) =>
  typeof value === 'string' && value.trim() ? value.split(',').map((item) => item.trim()).filter(Boolean) : fallback;

/** The conversation's ids, kept in the function's process-local cache between webhooks (best effort). */
async function identityFor(conversationId: string | undefined, own: WebhookIdentity): Promise<WebhookIdentity> {
  if (!conversationId || typeof cache === 'undefined') return own;
  const key = `kca:identity:${conversationId}`;
  try {
    if (IDENTITY_NAMES.some((name) => own[name])) {
      cache.delete(key);
      await cache.load(key, IDENTITY_TTL_MS, async () => ({ ...own }));
      return own;
    }
    const saved = await cache.load(key, IDENTITY_TTL_MS, async () => null);
    if (!saved) {
      cache.delete(key);
      return own;
    }
    const identity: WebhookIdentity = { ...own };
    for (const name of IDENTITY_NAMES) {
      const value = read(saved, name);
      if (typeof value === 'string') identity[name] = value;
    }
    return identity;
  } catch {
    return own;
  }
}

/** What Segment calls for each request to the function's webhook URL. */
export async function onRequest(request: FunctionRequest, settings: FunctionSettings): Promise<void> {
  const secret = typeof settings?.sharedSecret === 'string' ? settings.sharedSecret : '';
  if (!secret) throw invalid('the sharedSecret setting is empty');
  const given = request.headers.get(settings.sharedSecretHeader || DEFAULT_HEADER);
  if (typeof given !== 'string' || !sameSecret(given, secret)) throw invalid('missing or wrong shared secret');
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw invalid('not JSON');
  }
  const webhook = asWebhook(body);
  if (!webhook) throw invalid('not a Kustomer webhook');
  const options: MapOptions = {
    channels: new Set(list(settings.channels, ['chat'])),
    allowFields: [],
    identityAttributes: Object.fromEntries(IDENTITY_NAMES.map((name) => [name, `${name}Str`])) as MapOptions['identityAttributes'],
  };
  const mapped = mapWebhook(webhook, options);
  // Before anything returns: a webhook with no chat action may still bring the conversation's ids.
  const identity = await identityFor(mapped.conversationId, mapped.identity);
  const actions = list(settings.actions, []);
  const events = mapped.events.filter((event: ChatEvent) => !actions.length || actions.includes(event.action));
  if (!events.length) return;
  for (const event of events) {
    const message = liveChatMessage(event, {}, visitorIds(identity, event, identity.segmentUserId, identity.segmentAnonymousId));
    try {
      // The event id as messageId: a retried run sends the same ids, which Segment drops as duplicates.
      Segment.track({ ...message, timestamp: message.timestamp.toISOString() });
    } catch (error) {
      throw retry(`Segment.track failed: ${String((error as Error)?.message ?? error).slice(0, 200)}`);
    }
  }
}
