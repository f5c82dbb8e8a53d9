import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json';
import { DROP_IN, ENTRY_POINTS, SERVER_BIN, packageFields } from '../../entry-points.cjs';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;

describe('the package', () => {
  // The one list of entry points (entry-points.cjs) is read by the build, size-limit, TypeDoc and knip;
  // package.json cannot read it, so it is compared here.
  it('declares in package.json exactly the entry points of entry-points.cjs', () => {
    const { exports, main, module, types, unpkg, sideEffects } = pkg;
    const fix = 'update package.json to match entry-points.cjs (or the list, if package.json is right)';
    expect({ exports, main, module, types, unpkg, sideEffects }, fix).toEqual(packageFields());
  });

  for (const { subpath, exports: names } of ENTRY_POINTS) {
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
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([
      '@rudderstack/analytics-js',
      '@rudderstack/rudder-sdk-node',
      '@segment/analytics-next',
      '@segment/analytics-node',
      'redis',
    ]);
    expect(Object.keys(pkg.peerDependenciesMeta).sort()).toEqual(Object.keys(pkg.peerDependencies).sort());
    expect(Object.values(pkg.peerDependenciesMeta).every((meta) => meta.optional)).toBe(true);
    expect('dependencies' in pkg).toBe(false);
  });

  it('has the webhook server command, built into dist/, starting with a shebang', () => {
    expect(pkg.bin).toEqual({ [SERVER_BIN.command]: `./${SERVER_BIN.file}` });
    expect(readFileSync(root + SERVER_BIN.file, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('lists only the self-starting drop-in as having side effects', () => {
    expect(pkg.sideEffects).toEqual([`./${DROP_IN.file}`, `./${DROP_IN.full.file}`, `./${DROP_IN.unminified}`]);
    for (const file of pkg.sideEffects) expect(existsSync(root + file), file).toBe(true);
  });

  // The public API's type tests (test/types/public-api.ts, with its @ts-expect-error lines) are compiled by
  // `npm run typecheck`, in test/build/tooling.test.js.
});
