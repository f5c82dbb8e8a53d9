import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../server/verify';
import { sign } from '../../support/kustomer-webhooks.js';

const body = new TextEncoder().encode(JSON.stringify({ id: 'e1', name: 'kustomer.message.create' }, null, 2));

for (const runtime of ['auto', 'webcrypto'] as const) {
  describe(`createVerifier() with ${runtime === 'auto' ? "Node's crypto" : 'WebCrypto (Workers, Deno)'}`, () => {
    const verify = createVerifier('token', runtime);
    const good = sign(body, 'token');

    it('accepts the lowercase hex HMAC-SHA256 of the raw bytes (and its uppercase spelling)', async () => {
      expect(await verify(body, good)).toBe(true);
      expect(await verify(body, good.toUpperCase())).toBe(true);
    });

    it('refuses a missing, malformed, truncated or wrong signature, or other bytes', async () => {
      expect(await verify(body, null)).toBe(false);
      expect(await verify(body, '')).toBe(false);
      expect(await verify(body, good.slice(0, 62))).toBe(false);
      expect(await verify(body, `${good}00`)).toBe(false);
      expect(await verify(body, `sha256=${good}`)).toBe(false);
      expect(await verify(body, sign(body, 'other token'))).toBe(false);
      expect(await verify(new TextEncoder().encode(' ' + new TextDecoder().decode(body)), good)).toBe(false);
      expect(await verify(body, 'z'.repeat(64))).toBe(false);
    });
  });
}
