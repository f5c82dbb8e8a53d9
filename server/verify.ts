/**
 * Kustomer signs each webhook: `X-Kustomer-Webhook-Signature` is the lowercase hex HMAC-SHA256 of the raw request
 * body, keyed with the webhook's token (https://developer.kustomer.com/docs/events/delivery-and-retries).
 * Checked on the bytes as received, before anything parses them, with a constant-time comparison.
 */

/** What a signature check needs: the raw body bytes and the header's value. */
export type Verifier = (body: Uint8Array, signature: string | null) => Promise<boolean>;

interface NodeCrypto {
  createHmac(algorithm: string, key: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** A hex digit's value: `c & 0xf` is right for 0-9, and 9 short for a-f and A-F (`c >> 6` is 1 for letters only). */
const nibble = (code: number) => (code & 0xf) + (code >> 6) * 9;

/** The bytes of a string HEX_SHA256 accepted: no substring or parseInt per byte. */
function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (nibble(hex.charCodeAt(i * 2)) << 4) | nibble(hex.charCodeAt(i * 2 + 1));
  return bytes;
}

// A variable specifier: bundlers for the browser and Workers leave it alone, and the type check needs no Node types.
const NODE_CRYPTO = 'node:crypto';

/** Node's own HMAC (synchronous and fast), or `undefined` where there is no Node (Workers, Deno without compat). */
async function nodeCrypto(): Promise<NodeCrypto | undefined> {
  const runtime = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  if (typeof runtime?.versions?.node !== 'string') return undefined;
  try {
    return (await import(/* @vite-ignore */ NODE_CRYPTO)) as NodeCrypto;
  } catch {
    return undefined;
  }
}

/**
 * A verifier for one secret: Node's `createHmac` + `timingSafeEqual` where it runs on Node, WebCrypto's
 * `subtle.verify` (constant-time by specification) anywhere else (or when told: `'webcrypto'`, for the tests).
 */
export function createVerifier(secret: string, runtime: 'auto' | 'webcrypto' = 'auto'): Verifier {
  const node = runtime === 'auto' ? nodeCrypto() : Promise.resolve(undefined);
  // Once loaded, Node's crypto is used without awaiting the import's promise again on every request.
  let loaded: NodeCrypto | undefined;
  void node.then((crypto) => (loaded = crypto));
  let subtleKey: Promise<CryptoKey> | undefined;
  return async (body, signature) => {
    if (typeof signature !== 'string') return false;
    const given = signature.trim();
    if (!HEX_SHA256.test(given)) return false;
    const expected = hexToBytes(given);
    const crypto = loaded ?? (await node);
    if (crypto) {
      const actual = crypto.createHmac('sha256', secret).update(body).digest();
      return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
    }
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return false;
    subtleKey ??= subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    return subtle.verify('HMAC', await subtleKey, expected as Uint8Array<ArrayBuffer>, body as Uint8Array<ArrayBuffer>);
  };
}
