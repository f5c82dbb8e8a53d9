import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;

const expectedExports: Record<string, string[]> = {
  '.': ['createChatTracker', 'identityStitching', 'ACTION_LABELS', 'CHAT_ACTIONS', 'isChatAction', 'VERSION', 'INTEGRATION'],
  './gtm': ['gtmDataLayer', 'ga4DataLayer', 'googleConsentMode', 'GA4_EVENT_NAMES'],
  './segment': ['segmentDestination', 'kustomerChatPlugin'],
  './rudderstack': ['rudderstackDestination', 'trackKustomerChat'],
  './gtag': ['gtagDestination', 'GA4_EVENT_NAMES'],
};

describe('the package', () => {
  for (const [subpath, names] of Object.entries(expectedExports)) {
    it(`exports ${subpath} as ESM and CJS, with types and source maps, without side effects`, async () => {
      type Condition = { types: string; default: string };
      const entry = (pkg.exports as Record<string, string | { import: Condition; require: Condition }>)[subpath];
      if (typeof entry === 'string') throw new Error(`package.json exports ${subpath} as a single file, not as ESM and CJS`);
      const files = [entry.import.types, entry.import.default, entry.require.types, entry.require.default, `${entry.import.default}.map`];
      for (const file of files) expect(existsSync(root + file), file).toBe(true);
      const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
      const esm = await import(root + entry.import.default);
      const cjs = require(root + entry.require.default);
      expect(Object.keys(esm).sort()).toEqual([...names].sort());
      expect(Object.keys(cjs).sort()).toEqual([...names].sort());
      expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
    });
  }

  it('declares the SDKs as optional peer dependencies only', () => {
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['@rudderstack/analytics-js', '@segment/analytics-next']);
    expect(Object.values(pkg.peerDependenciesMeta).every((meta) => meta.optional)).toBe(true);
    expect('dependencies' in pkg).toBe(false);
  });

  it('lists only the self-starting drop-in as having side effects', () => {
    expect(pkg.sideEffects).toEqual(['./dist/kustomer-chat-gtm.min.js', './dist/kustomer-chat-gtm.js']);
  });

  it('type-checks the public API, rejecting what it should', () => {
    // Throws with the compiler's messages when a type breaks or an @ts-expect-error is no longer an error.
    execFileSync(process.execPath, [root + 'node_modules/typescript/bin/tsc', '-p', root + 'tsconfig.json'], { stdio: 'pipe' });
  });
});
