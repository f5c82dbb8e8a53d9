/**
 * Size budgets, gzip, in size-limit's decimal units (1 kB = 1000 B). Checked by `npm run size` and by
 * test/build/size.test.js in `npm test`. The yardstick is the copy-paste GTM listener: 0.66 kB minified,
 * 0.31 kB gzip.
 *
 * - The drop-in file goes through size-limit's esbuild too, which minifies it again: the figure is within a few
 *   percent of the shipped file's gzip, slightly above it.
 * - Each import path is measured as a bundler would tree-shake it: esbuild bundles a file importing every
 *   runtime export of the path, plus `createChatTracker`, which a real user imports too. The test checks
 *   that EXPORTS below lists every runtime export, so a new export cannot escape the budget.
 * - No `ignore` here. size-limit still marks the package's peerDependencies (the Segment and RudderStack
 *   SDKs) as external on its own, so the test checks separately that no bundle pulls either SDK in.
 *
 * SIZE_LIMIT_MINIFIED=1 reports minified bytes instead of gzip (the benchmark's "min" column).
 */
const gzip = !process.env.SIZE_LIMIT_MINIFIED;

/** Runtime exports of each import path (dist file). */
const EXPORTS = {
  'dist/index.js': ['ACTION_LABELS', 'CHAT_ACTIONS', 'INTEGRATION', 'VERSION', 'createChatTracker', 'identityStitching', 'isChatAction'],
  'dist/gtm.js': ['GA4_EVENT_NAMES', 'ga4DataLayer', 'googleConsentMode', 'gtmDataLayer'],
  'dist/segment.js': ['kustomerChatPlugin', 'segmentDestination'],
  'dist/rudderstack.js': ['rudderstackDestination', 'trackKustomerChat'],
  'dist/gtag.js': ['GA4_EVENT_NAMES', 'gtagDestination'],
};

const named = (names) => `{ ${names.join(', ')} }`;
const withTracker = (file) => ({ 'dist/index.js': '{ createChatTracker }', [file]: named(EXPORTS[file]) });

// One import statement per file; a name imported twice would not compile (GA4_EVENT_NAMES is one object).
const seen = new Set();
const everything = {};
for (const [file, names] of Object.entries(EXPORTS)) {
  everything[file] = named(names.filter((name) => !seen.has(name) && seen.add(name)));
}

// `goal`: issue 14's budget. `limit`: the ceiling enforced today, about 3% above what the code weighs now,
// so that growth fails the build. The goals are not met yet (see docs/performance.md); when a goal is met,
// lower the limit to it.
const checks = [
  { name: 'drop-in dist/kustomer-chat-gtm.min.js', path: 'dist/kustomer-chat-gtm.min.js', goal: '2 kB', limit: '5.05 kB' },
  { name: 'kustomer-chat-analytics', import: { 'dist/index.js': named(EXPORTS['dist/index.js']) }, goal: '3 kB', limit: '4.55 kB' },
  { name: 'kustomer-chat-analytics/gtm', import: withTracker('dist/gtm.js'), goal: '3 kB', limit: '5.2 kB' },
  { name: 'kustomer-chat-analytics/segment', import: withTracker('dist/segment.js'), goal: '3 kB', limit: '5.3 kB' },
  { name: 'kustomer-chat-analytics/rudderstack', import: withTracker('dist/rudderstack.js'), goal: '3 kB', limit: '5.2 kB' },
  { name: 'kustomer-chat-analytics/gtag', import: withTracker('dist/gtag.js'), goal: '3 kB', limit: '4.8 kB' },
  { name: 'all import paths together', import: everything, goal: '4 kB', limit: '6.6 kB' },
];

// size-limit measures brotli unless told otherwise; `brotli: false` without gzip means plain bytes.
module.exports = checks.map(({ goal, ...check }) => ({ ...check, gzip, brotli: false }));
module.exports.GOALS = Object.fromEntries(checks.map(({ name, goal }) => [name, goal]));
module.exports.EXPORTS = EXPORTS;
