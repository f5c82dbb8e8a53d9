/**
 * The ES5 build of the drop-in (dist/kustomer-chat-gtm.es5.min.js, the GTM container's Custom HTML tag) is ES5
 * syntax, built from the lean drop-in's sources, which only iterate arrays (lowered without downlevelIteration),
 * and what lowering to ES5 costs stays bounded: its gzip size is reported beside the drop-in's and may be at most
 * 1.2x it (1.12x when this was written: `?.` and `??` spelled out, `var` and `function`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { DROP_IN_FILE, ES5_DROP_IN_FILE, gzipBytes } from '../../scripts/build-gtm-container.js';
import { repoRoot } from '../../support/e2e-page.js';

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

describe('the ES5 build of the drop-in', () => {
  it('parses with an ES5-only parser, where the drop-in does not', () => {
    const es5 = (file) => () => parse(readFileSync(file, 'utf8'), { ecmaVersion: 5, sourceType: 'script' });
    expect(es5(ES5_DROP_IN_FILE)).not.toThrow();
    expect(es5(DROP_IN_FILE)).toThrow();
  });

  it('comes from sources that iterate arrays only: tsconfig.es5.json type-checks them for ES5', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.es5.json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
    // The check can fail: the same target and lib, without downlevelIteration, refuse a loop over a Set.
    const probe = spawnSync(process.execPath, [tsc, '--noEmit', '--target', 'ES5', '--lib', 'ES2020', 'test/fixtures/es5/iterates-a-set.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(probe.stdout).toContain('TS2802');
  });

  it('weighs at most 1.2x the drop-in, gzip', () => {
    const dropIn = gzipBytes(DROP_IN_FILE);
    const lowered = gzipBytes(ES5_DROP_IN_FILE);
    const figures = `drop-in ${kB(dropIn)} gzip, ES5 build ${kB(lowered)} gzip (${(lowered / dropIn).toFixed(2)}x)`;
    console.log(figures);
    expect(dropIn).toBeGreaterThan(1000);
    expect(lowered / dropIn, figures).toBeLessThanOrEqual(1.2);
  });
});
