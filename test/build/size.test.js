/**
 * Size is a contract: the ceilings in .size-limit.cjs (the goals there are not met yet), measured by size-limit on the built dist/ (pretest
 * builds it). CI runs only `npm test`, so this is where a budget that is exceeded fails the build.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { DROP_IN, ENTRY_POINTS, distFiles } from '../../entry-points.cjs';
import { repoRoot } from '../../support/e2e-page.js';

const checks = createRequire(import.meta.url)('../../.size-limit.cjs');
const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

/** Runs size-limit as `npm run size` does, minus the build; it exits 1 when a budget fails, so read its JSON. */
function sizeLimit() {
  const run = spawnSync(process.execPath, ['node_modules/size-limit/bin.js', '--json'], { cwd: repoRoot, encoding: 'utf8' });
  let results;
  try {
    results = JSON.parse(run.stdout);
  } catch {
    throw new Error(`size-limit printed no JSON (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  if (!Array.isArray(results)) throw new Error(`size-limit failed: ${results.error ?? run.stdout}`);
  return results;
}

let results;
let table;
beforeAll(() => {
  results = sizeLimit();
  table = results.map((r) => `  ${r.passed ? 'ok  ' : 'OVER'} ${r.name}: ${kB(r.size)} gzip (budget ${kB(r.sizeLimit)})`).join('\n');
});

describe('size budgets (gzip)', () => {
  for (const { name, limit } of checks) {
    it(`keeps ${name} within ${limit}`, () => {
      const result = results.find((r) => r.name === name);
      expect(result, `size-limit reported no "${name}"`).toBeDefined();
      expect(result.size).toBeGreaterThan(0);
      expect(result.passed, `${name} is ${kB(result.size)} gzip, over its ${limit} budget by ${kB(result.size - result.sizeLimit)}.\nAll entries:\n${table}`).toBe(true);
    });
  }

  // The exports it imports are those of entry-points.cjs, which test/unit/package.test.ts checks against dist/.
  it('measures every browser import path of entry-points.cjs, importing every runtime export the list names', () => {
    const importsAll = (check, entry) => check.import?.[distFiles(entry).esm] === `{ ${entry.exports.join(', ')} }`;
    for (const entry of ENTRY_POINTS.filter((e) => e.platform !== 'node')) {
      expect(checks.some((check) => importsAll(check, entry)), `no size-limit check imports all of ${entry.subpath}`).toBe(true);
    }
  });
});

describe('what the bundles contain', () => {
  // size-limit treats the package's peerDependencies as external by itself, so an import of an SDK would
  // not show in its figures. Bundle every shipped entry with nothing external: an SDK import would show up
  // as node_modules input here.
  it('pulls in neither the Segment nor the RudderStack SDK, nor anything else from node_modules', async () => {
    // The server path's Node built-ins (`node:*`) are the runtime's, not bundled code.
    const entries = ENTRY_POINTS.flatMap((entry) => [distFiles(entry).esm, distFiles(entry).cjs]);
    entries.push(DROP_IN.file, DROP_IN.full.file, DROP_IN.unminified);
    const { metafile } = await build({
      absWorkingDir: repoRoot,
      entryPoints: entries.map((file) => ({ in: file, out: file.replace(/\W/g, '_') })),
      bundle: true,
      write: false,
      metafile: true,
      outdir: 'out',
      platform: 'browser',
      format: 'esm',
      external: ['node:*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.length).toBeGreaterThanOrEqual(entries.length);
    expect(inputs.filter((input) => !input.startsWith('dist/'))).toEqual([]);
  });
});
