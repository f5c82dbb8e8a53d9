/** Defensive readers for payloads we do not control: they never throw and never walk the prototype. */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads the own property `obj[key]`, or `undefined` when obj is not an object or a getter throws. Own properties
 * only, so never the prototype; for keys that come from outside (a configured path), use readPath.
 */
export function read(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  try {
    return Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a dotted path such as `response.rating`; a forbidden key on the way (`__proto__`) reads `undefined`. */
export function readPath(obj: unknown, path: string): unknown {
  let value = obj;
  for (const key of path.split('.')) value = FORBIDDEN_KEYS.has(key) ? undefined : read(value, key);
  return value;
}

/**
 * Kustomer ids are short tokens: 1 to 64 of A-Z, a-z, 0-9, `_` and `-`. Anything with '@', '.', '+', spaces or over
 * 64 characters is not an id but possibly an email, a JWT or a phone number, so it is never forwarded as one.
 * Checked by character codes: it runs several times per event, at about half the cost of a regular expression in V8.
 */
function isIdText(text: string): boolean {
  if (!text.length || text.length > 64) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45)) return false;
  }
  return true;
}

export function toId(value: unknown): string | undefined {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof text === 'string' && isIdText(text) ? text : undefined;
}

/** A finite number, also from a decimal string ("5", "4.5"); `undefined` otherwise (hex, "1e3", "five", NaN). */
export function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

export function toCount(value: unknown): number | undefined {
  const number = toNumber(value);
  return number !== undefined && number >= 0 && number <= 1e6 && Math.floor(number) === number ? number : undefined;
}

// What toISOString writes, with days up to the 28th (every month has them; V8 rolls Feb 30 over to March): such a
// string comes out of a Date round trip unchanged, so it is kept as it is. Kustomer's own timestamps look like this.
const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const date = new Date(value);
  const iso = Number.isFinite(date.getTime()) ? date.toISOString() : '';
  // Years outside 0000-9999 come out as "+275760-…", which no analytics tool reads as a date.
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

/**
 * Calls fn and swallows anything it throws, handing it to onError: for code that runs inside other people's
 * callbacks. `onError` may be `false`: `DEBUG_BUILD && ((e) => debug(...))` in the lean build.
 */
export function attempt<T>(fn: () => T, onError?: ((error: unknown) => void) | false): T | undefined {
  try {
    return fn();
  } catch (error) {
    try {
      if (onError) onError(error);
    } catch {
      // a failing logger must not escape either
    }
    return undefined;
  }
}
