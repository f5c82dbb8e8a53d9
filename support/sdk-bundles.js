/**
 * Bundles the REAL vendor SDKs from node_modules into one browser IIFE script.
 *
 *   const { file, url } = await buildSdkBundles()        // default outDir: test/.cache/sdks
 *   // file: absolute path of 'sdks.js'; url: its path relative to outDir ('/sdks.js')
 *   // Loading it defines:
 *   //   window.TestSDKs = { AnalyticsBrowser, RudderAnalytics }
 *   //   AnalyticsBrowser <- '@segment/analytics-next'
 *   //   RudderAnalytics  <- '@rudderstack/analytics-js/bundled' (all plugins compiled in,
 *   //                       so it never fetches plugin chunks from cdn.rudderlabs.com)
 *
 * Serve it with startCollector({ staticRoot: outDir }) and <script src="/sdks.js">.
 * Segment's dynamic import()s are inlined by esbuild (IIFE, no splitting), so the
 * bundle has no lazy chunks either. Not minified (readable stack traces), no source map.
 * Cached: rebuilt only when missing or older than either SDK's package.json or this
 * file (~0.1 s to build, ~770 KB).
 */
import { build } from 'esbuild';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
export const DEFAULT_OUT_DIR = path.join(repoRoot, 'test/.cache/sdks');

const pkgJson = (name) => path.join(repoRoot, 'node_modules', name, 'package.json');

const ENTRY = `
import { AnalyticsBrowser } from '@segment/analytics-next';
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
window.TestSDKs = { AnalyticsBrowser, RudderAnalytics };
`;

function isFresh(file) {
  if (!existsSync(file)) return false;
  const built = statSync(file).mtimeMs;
  const inputs = [pkgJson('@segment/analytics-next'), pkgJson('@rudderstack/analytics-js'), fileURLToPath(import.meta.url)];
  return inputs.every((f) => statSync(f).mtimeMs < built);
}

/**
 * Bundles `contents` (ES module source importing npm packages) into one browser IIFE at `file`, optionally as the
 * global `globalName`. Built to a unique temp name then renamed: parallel test workers may build at once.
 */
export async function buildBrowserBundle({ contents, sourcefile, file, globalName }) {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await build({
    stdin: { contents, resolveDir: repoRoot, sourcefile, loader: 'js' },
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2020',
    outfile: tmp,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  await rename(tmp, file);
}

export async function buildSdkBundles(outDir = DEFAULT_OUT_DIR) {
  const file = path.join(outDir, 'sdks.js');
  if (!isFresh(file)) await buildBrowserBundle({ contents: ENTRY, sourcefile: 'test-sdks-entry.js', file });
  return { file, url: '/sdks.js', outDir };
}
