// knip: no unused file, export or dependency (`npx knip`, run by test/build/tooling.test.js in `npm test`).
// Entry points: the package's (entry-points.cjs) and what a browser loads by URL (the demo page's script, the
// vendors' snippets the e2e tests serve); knip's plugins add the rest from package.json's scripts and the configs
// it knows (rollup, vitest, ESLint, TypeDoc, size-limit, changesets).
import { DROP_IN, ENTRY_POINTS, SEGMENT_FUNCTION, SERVER_BIN } from './entry-points.cjs';

/** @type {import('knip').KnipConfig} */
export default {
  entry: [
    ...ENTRY_POINTS.map((entry) => entry.source),
    DROP_IN.source,
    DROP_IN.full.source,
    SERVER_BIN.source,
    SEGMENT_FUNCTION.source,
    'rollup.dts.config.js',
    // Read by rollup.dts.config.js in place of the Segment SDK's types.
    'scripts/types/segment-plugin.d.ts',
    'scripts/*.js',
    'demo/app.js',
    'test/fixtures/snippets/*.js',
    // What tsconfig.es5.json must refuse (test/build/gtm-es5.test.js compiles it on its own).
    'test/fixtures/es5/*.ts',
    'test/types/*.ts',
  ],
  project: [
    'core/**/*.ts',
    'plugins/**/*.ts',
    'server/**/*.ts',
    'scripts/**',
    'support/**/*.js',
    'demo/**/*.js',
    'bench/**/*.js',
    'test/**/*.{js,ts}',
    '*.{js,cjs}',
  ],
  // The demo page imports by URL from the server's root (demo/app.js: '/support/...').
  paths: { '/*': ['./*'] },
  // An export its own module uses too is part of that module's interface, not dead code.
  ignoreExportsUsedInFile: true,
  // Bundled by esbuild from source text (support/sdk-bundles.js, test/support/snippet-sdks.js), which knip
  // cannot follow; the library itself only declares it as an optional peer.
  ignoreDependencies: ['@rudderstack/analytics-js'],
  // A pinned build the bench loads by URL (bench/baseline/README.md).
  ignore: ['bench/baseline/**'],
};
