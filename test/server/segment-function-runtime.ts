/**
 * A stand-in for Segment's Source Function runtime, written from Segment's docs (segmentio/segment-docs:
 * src/connections/functions/source-functions.md, src/_includes/content/functions/runtime.md,
 * src/_includes/content/functions/errors-and-error-handling.md):
 *
 * - The function's code is one script; Segment calls its top-level `async function onRequest(request, settings)`
 *   once per POST to the function's webhook URL (GET is not supported).
 * - `request.json()` gives the parsed body (deployed functions get its fields alphabetised), `request.headers` is a
 *   `Headers`, `request.url` a `URL`. Payloads over 512 KiB are refused.
 * - Globals: `Segment` (`track`, `identify`, `group`, `page`, `screen`, `alias`, `set`), the error classes
 *   (`RetryError`, `ValidationError`, `InvalidEventPayload`, `EventNotSupported`), `fetch`, `crypto` (Node's module),
 *   `atob`, `btoa`, `cache` (`load(key, ttl, fn)`, `delete(key)`, process-local), `console`.
 * - Only `RetryError` and time-outs (5 s) are retried, up to six times; any other error drops the request.
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const MAX_PAYLOAD_BYTES = 512 * 1024;
const TIMEOUT_MS = 5000;
const RETRIES = 6;

class RetryError extends Error {}
class ValidationError extends Error {}
class InvalidEventPayload extends Error {}
class EventNotSupported extends Error {}

function alphabetise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(alphabetise);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) Object.defineProperty(sorted, key, { value: alphabetise((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
  return sorted;
}

export interface Invocation {
  /** `ok`, or how Segment's errors tab would list it. */
  outcome: 'ok' | 'retry exhausted' | 'message rejected' | 'bad request' | 'payload too large' | 'timeout';
  attempts: number;
  error?: string;
}

/** The runtime: load the function's file, then POST to it. `calls` holds every Segment.* call, in order. */
export function segmentFunctionRuntime(file: string, settings: Record<string, unknown>) {
  const calls: Array<{ method: string; message: Record<string, unknown> }> = [];
  const store = new Map<string, { value: unknown; expires: number }>();
  let trackFailures = 0;
  const segment = Object.fromEntries(
    ['track', 'identify', 'group', 'page', 'screen', 'alias', 'set'].map((method) => [
      method,
      (message: Record<string, unknown>) => {
        if (method === 'track' && trackFailures > 0) {
          trackFailures--;
          throw new Error('Segment API unavailable');
        }
        calls.push({ method, message: JSON.parse(JSON.stringify(message)) });
      },
    ]),
  );
  const cache = {
    async load(key: string, ttl: number, fn: () => Promise<unknown>) {
      const hit = store.get(key);
      if (hit && (hit.expires === -1 || hit.expires > Date.now())) return hit.value;
      const value = await fn();
      store.set(key, { value, expires: ttl === -1 || ttl === undefined ? -1 : Date.now() + ttl });
      return value;
    },
    delete: (key: string) => void store.delete(key),
  };
  const context = vm.createContext({
    Segment: segment,
    RetryError,
    ValidationError,
    InvalidEventPayload,
    EventNotSupported,
    fetch,
    crypto,
    atob,
    btoa,
    cache,
    console: { log() {}, error() {}, warn() {}, info() {} },
    URL,
    Headers,
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
  });
  vm.runInContext(readFileSync(file, 'utf8'), context, { filename: file });
  const onRequest = (context as { onRequest?: unknown }).onRequest;
  if (typeof onRequest !== 'function') throw new Error(`${file} defines no top-level onRequest`);

  async function post(body: string, headers: Record<string, string>): Promise<Invocation> {
    if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) return { outcome: 'payload too large', attempts: 0 };
    const parsed = alphabetise(JSON.parse(body));
    for (let attempt = 1; attempt <= 1 + RETRIES; attempt++) {
      const request = { json: () => parsed, headers: new Headers({ 'content-type': 'application/json', ...headers }), url: new URL('https://fn.segmentapis.com/?b=source') };
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          (onRequest as (request: unknown, settings: unknown) => Promise<unknown>)(request, settings),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), TIMEOUT_MS))),
        ]);
        return { outcome: 'ok', attempts: attempt };
      } catch (error) {
        const name = (error as Error)?.constructor?.name;
        const message = String((error as Error)?.message);
        if (name === 'RetryError' || message === 'timeout') {
          if (attempt === 1 + RETRIES) return { outcome: message === 'timeout' ? 'timeout' : 'retry exhausted', attempts: attempt, error: message };
          continue;
        }
        return { outcome: name === 'ValidationError' || name === 'InvalidEventPayload' ? 'message rejected' : 'bad request', attempts: attempt, error: message };
      } finally {
        clearTimeout(timer);
      }
    }
    return { outcome: 'retry exhausted', attempts: 1 + RETRIES };
  }

  return {
    calls,
    post,
    /** The next `n` Segment.track calls throw, as when Segment's API is down. */
    failTracks(n: number) {
      trackFailures = n;
    },
  };
}
