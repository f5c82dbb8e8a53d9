/**
 * The package's entry points, written once. Read by the build (rollup.config.js, rollup.dts.config.js), the size
 * budgets (.size-limit.cjs), TypeDoc (typedoc.config.cjs), knip (knip.config.js) and the package tests
 * (test/unit/package.test.ts, test/build/publish.test.js, test/build/size.test.js).
 *
 * package.json cannot read a file: test/build/entry-points.test.js fails when its `exports`, `main`, `module`,
 * `types`, `unpkg` or `sideEffects` differ from what `packageFields()` derives from this list.
 *
 * CommonJS, so that every reader can load it as it is: ESM configs and tests import it, .size-limit.cjs requires it.
 */

/**
 * @typedef {object} EntryPoint one import path of the package
 * @property {string} name its files in dist/: `<name>.js` (ESM), `<name>.cjs`, `<name>.d.ts`, `<name>.d.cts`
 * @property {string} subpath the import path, as package.json's `exports` spells it
 * @property {string} source the TypeScript module it is built from
 * @property {string[]} exports its runtime exports (types aside), checked against the build by test/unit/package.test.ts
 * @property {'node'} [platform] `'node'` for a server-side path: not in the browser size budgets, Node's built-ins
 *   (`node:*`) may be imported
 */

/** @type {EntryPoint[]} */
const ENTRY_POINTS = [
  {
    name: 'index',
    subpath: '.',
    source: 'core/index.ts',
    exports: ['ACTION_LABELS', 'CHAT_ACTIONS', 'INTEGRATION', 'VERSION', 'createChatTracker', 'identityStitching', 'isChatAction'],
  },
  {
    name: 'gtm',
    subpath: './gtm',
    source: 'plugins/gtm/index.ts',
    exports: ['GA4_EVENT_NAMES', 'ga4DataLayer', 'googleConsentMode', 'gtmDataLayer'],
  },
  { name: 'segment', subpath: './segment', source: 'plugins/segment/index.ts', exports: ['kustomerChatPlugin', 'segmentDestination'] },
  { name: 'rudderstack', subpath: './rudderstack', source: 'plugins/rudderstack/index.ts', exports: ['rudderstackDestination', 'trackKustomerChat'] },
  { name: 'gtag', subpath: './gtag', source: 'plugins/gtag/index.ts', exports: ['GA4_EVENT_NAMES', 'gtagDestination'] },
  {
    name: 'server',
    subpath: './server',
    source: 'server/index.ts',
    exports: ['createWebhookHandler', 'ga4MeasurementProtocol', 'memoryStore', 'nodeListener', 'redisStore', 'rudderstackServer', 'segmentServer'],
    platform: 'node',
  },
];

/** The webhook server of `kustomer-chat-analytics/server`, started from environment variables (package.json `bin`). */
const SERVER_BIN = { source: 'server/bin.ts', file: 'dist/server-bin.js', command: 'kustomer-chat-analytics-webhooks' };

/**
 * The self-starting drop-in, for a <script> tag or GTM's Custom HTML: IIFEs, two of them import paths (files to
 * copy, not modules). The lean one (`file`, and `es5`, what the GTM container inlines: scripts/build-gtm-container.js)
 * pushes the listener's layout and has no debug messages; the full one (`full`, and `unminified`) adds the
 * GA4-ready pushes and the debug messages.
 */
const DROP_IN = {
  source: 'plugins/gtm/drop-in.ts',
  subpath: './kustomer-chat-gtm.min.js',
  file: 'dist/kustomer-chat-gtm.min.js',
  es5: 'dist/kustomer-chat-gtm.es5.min.js',
  full: { source: 'plugins/gtm/drop-in-full.ts', subpath: './kustomer-chat-gtm.full.min.js', file: 'dist/kustomer-chat-gtm.full.min.js' },
  unminified: 'dist/kustomer-chat-gtm.js',
};

/** The entry point's built files, relative to the package root. */
const distFiles = ({ name }) => ({ esm: `dist/${name}.js`, cjs: `dist/${name}.cjs`, esmTypes: `dist/${name}.d.ts`, cjsTypes: `dist/${name}.d.cts` });

/** What package.json must say about the entry points: `exports` and the fields for older resolvers and CDNs. */
function packageFields() {
  const exports = {};
  for (const entry of ENTRY_POINTS) {
    const files = distFiles(entry);
    exports[entry.subpath] = {
      import: { types: `./${files.esmTypes}`, default: `./${files.esm}` },
      require: { types: `./${files.cjsTypes}`, default: `./${files.cjs}` },
    };
  }
  exports[DROP_IN.subpath] = `./${DROP_IN.file}`;
  exports[DROP_IN.full.subpath] = `./${DROP_IN.full.file}`;
  exports['./package.json'] = './package.json';
  const main = distFiles(ENTRY_POINTS.find((entry) => entry.subpath === '.'));
  return {
    // Only the drop-in does something on load; every import path is free of side effects (tree-shakeable).
    sideEffects: [`./${DROP_IN.file}`, `./${DROP_IN.full.file}`, `./${DROP_IN.unminified}`],
    main: `./${main.cjs}`,
    module: `./${main.esm}`,
    types: `./${main.cjsTypes}`,
    unpkg: `./${DROP_IN.file}`,
    exports,
  };
}

/**
 * The handler as a Segment Source Function: one script to paste into Segment's Functions editor, its
 * `async function onRequest(request, settings)` at the top level (docs/server.md).
 */
const SEGMENT_FUNCTION = { source: 'server/segment-function.ts', file: 'dist/segment-source-function.js', global: '__kustomerChatAnalytics' };

module.exports = { ENTRY_POINTS, DROP_IN, SERVER_BIN, SEGMENT_FUNCTION, distFiles, packageFields };
