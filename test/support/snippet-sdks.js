/**
 * The vendors' copy-paste snippets (test/fixtures/snippets/) with the REAL SDK files they load, served from the
 * local server instead of the vendors' CDNs.
 *
 *   const cdn = await prepareSnippetCdn()   // files under test/.cache/snippet-cdn, served with staticRoot = repo root
 *   segmentSnippet('4.15.3', collector)     // the snippet's text, its URLs pointed at the local server
 *   rudderStackSnippet('3.2.0', collector, { configUrl: true })
 *
 * What stands in for each CDN file:
 * - Segment: the snippet loads `<cdn>/analytics.js/v1/<key>/analytics.min.js`; we serve
 *   @segment/analytics-next's own standalone build (dist/umd/standalone.js, the file Segment's CDN serves), and its
 *   lazy chunks under `<cdn>/analytics-next/bundles/`, where that build looks for them (`analytics._cdn`).
 *   Settings come from `<cdn>/v1/projects/<key>/settings` (a route on the collector), with the collector as the
 *   Segment.io API host.
 * - RudderStack: the snippet loads `<base>/v3/modern/rsa.min.js`. The npm package ships no CDN build, so we build
 *   the equivalent of the CDN's IIFE from @rudderstack/analytics-js/bundled with esbuild: the same entry as the
 *   SDK's src/browser.ts (https://github.com/rudderlabs/rudder-sdk-js/blob/develop/packages/analytics-js/src/browser.ts:
 *   `new RudderAnalytics()` at load, its bound methods exported as the global `rudderanalytics`), with every
 *   plugin compiled in so nothing is fetched from cdn.rudderlabs.com.
 */
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBrowserBundle } from '../../support/sdk-bundles.js';
import { RUDDER_WRITE_KEY, rudderLoadOptionsSource } from '../../support/sdk-setup.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CDN_DIR = path.join(repoRoot, 'test/.cache/snippet-cdn');
const FIXTURES = path.join(repoRoot, 'test/fixtures/snippets');
export const SEGMENT_CDN_PATH = '/test/.cache/snippet-cdn/segment';
export const RUDDERSTACK_CDN_PATH = '/test/.cache/snippet-cdn/rudderstack';
export const SNIPPET_WRITE_KEY = 'snippet-key';
/** The path of the SDK file each snippet loads, for holding it back (page.route). */
export const SEGMENT_SDK_FILE = `**/analytics.js/v1/${SNIPPET_WRITE_KEY}/analytics.min.js`;
export const RUDDERSTACK_SDK_FILE = '**/v3/modern/rsa.min.js';

const RUDDERSTACK_CDN_ENTRY = `
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
const ra = new RudderAnalytics();
export const { setDefaultInstanceKey, getAnalyticsInstance, load, ready, page, track, identify, alias, group, reset,
  getAnonymousId, setAnonymousId, getUserId, getUserTraits, getGroupId, getGroupTraits, startSession, endSession,
  getSessionId, consent, setAuthToken, addCustomIntegration } = ra;
`;

let prepared;

/** Lays out the CDN files once per test process (a few hundred ms); later calls reuse them. */
export function prepareSnippetCdn() {
  prepared ??= (async () => {
    const segmentUmd = path.join(repoRoot, 'node_modules/@segment/analytics-next/dist/umd');
    const ajsDir = path.join(CDN_DIR, 'segment/analytics.js/v1', SNIPPET_WRITE_KEY);
    const bundlesDir = path.join(CDN_DIR, 'segment/analytics-next/bundles');
    const rudderDir = path.join(CDN_DIR, 'rudderstack/v3/modern');
    await Promise.all([ajsDir, bundlesDir, rudderDir].map((dir) => mkdir(dir, { recursive: true })));
    await copyFile(path.join(segmentUmd, 'standalone.js'), path.join(ajsDir, 'analytics.min.js'));
    for (const file of await readdir(segmentUmd)) {
      if (/\.bundle\.[0-9a-f]+\.js$/.test(file)) await copyFile(path.join(segmentUmd, file), path.join(bundlesDir, file));
    }
    await buildBrowserBundle({
      contents: RUDDERSTACK_CDN_ENTRY,
      sourcefile: 'rsa-cdn-entry.js',
      file: path.join(rudderDir, 'rsa.min.js'),
      globalName: 'rudderanalytics',
    });
  })();
  return prepared;
}

const fixture = (name) => readFile(path.join(FIXTURES, name), 'utf8');

/**
 * Segment's snippet `version` ('4.15.3' | '5.2.0'), loading from the collector; registers the settings route.
 * The settings are what Segment's CDN serves for a source with no destinations, pointed at the collector.
 */
export async function segmentSnippet(version, collector) {
  const cdn = collector.url + SEGMENT_CDN_PATH;
  const settings = {
    integrations: { 'Segment.io': { apiKey: SNIPPET_WRITE_KEY, apiHost: `${new URL(collector.url).host}/v1`, protocol: 'http' } },
    metrics: { sampleRate: 0 },
  };
  collector.page(`${SEGMENT_CDN_PATH}/v1/projects/${SNIPPET_WRITE_KEY}/settings`, JSON.stringify(settings));
  const text = await fixture(`segment-${version}.js`);
  return text.replaceAll('https://cdn.segment.com', cdn).replaceAll('YOUR_WRITE_KEY', SNIPPET_WRITE_KEY);
}

/**
 * RudderStack's loading snippet `version` ('3.0.0' | '3.2.0') with the site's `load` call filled in: source
 * config inline (`getSourceConfig`, answered synchronously) or fetched from the collector (`configUrl`).
 */
export async function rudderStackSnippet(version, collector, { configUrl = false } = {}) {
  const source = { id: 'src', name: 'test', workspaceId: 'ws', enabled: true, config: {}, destinations: [] };
  collector.page('/rudder-config/sourceConfig/', JSON.stringify({ source }));
  const loadOptions = configUrl
    ? rudderLoadOptionsSource(`{ getSourceConfig: undefined, configUrl: ${JSON.stringify(`${collector.url}/rudder-config`)} }`)
    : rudderLoadOptionsSource();
  const text = await fixture(`rudderstack-${version}.js`);
  const siteOptions = /\{\s*\/\/ configure your load options here\s*\}/;
  if (!siteOptions.test(text)) throw new Error(`rudderstack-${version}.js: no load options to fill in`);
  return text
    .replace(siteOptions, loadOptions)
    .replaceAll('https://cdn.rudderlabs.com', collector.url + RUDDERSTACK_CDN_PATH)
    .replace(/'<write-key>'|'__WRITE_KEY__'/g, JSON.stringify(RUDDER_WRITE_KEY))
    .replace(/'<data-plane-url>'|'__DATAPLANE_URL__'/g, JSON.stringify(collector.url));
}
