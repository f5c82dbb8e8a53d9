/** The size budgets of .size-limit.cjs, measured by size-limit twice: gzip (the budgets) and minified. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipBytes } from '../scripts/build-gtm-container.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const checks = require('../.size-limit.cjs');
const { DROP_IN } = require('../entry-points.cjs');

/** The copy-paste GTM listener, as given in the issue (terser reproduces 659 B minified, 299 B gzip -9). */
export const LISTENER_SIZE = { min: 660, gzip: 310 };

function sizeLimit(env) {
  const run = spawnSync(process.execPath, ['node_modules/size-limit/bin.js', '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const results = JSON.parse(run.stdout);
  if (!Array.isArray(results)) throw new Error(`size-limit failed: ${results.error}`);
  return new Map(results.map((r) => [r.name, r]));
}

export function sizes() {
  const gzip = sizeLimit({});
  const min = sizeLimit({ SIZE_LIMIT_MINIFIED: '1' });
  return checks.map(({ name, limit }) => ({
    name,
    limit,
    goal: checks.GOALS[name],
    min: min.get(name).size,
    gzip: gzip.get(name).size,
    // `passed`: within the ceiling CI enforces; `goalMet`: within its budget (undefined: it has none).
    passed: gzip.get(name).passed,
    goalMet: checks.GOALS[name] ? gzip.get(name).size <= Number.parseFloat(checks.GOALS[name]) * 1000 : undefined,
  }));
}

/** What `npm publish` would upload: the tarball's size (gzip) and its unpacked size, from `npm pack --dry-run`. */
export function packSize() {
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm pack failed: ${run.stderr}`);
  const [{ size, unpackedSize, entryCount }] = JSON.parse(run.stdout);
  return { size, unpackedSize, files: entryCount };
}

/** The shipped drop-in files as a server sends them, gzip -9, in bytes: the lean one, its ES5 tag, the full one. */
export function dropInBytes() {
  const gzip = (file) => gzipBytes(path.join(root, file));
  return { lean: gzip(DROP_IN.file), es5: gzip(DROP_IN.es5), full: gzip(DROP_IN.full.file) };
}
