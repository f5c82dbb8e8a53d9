import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DROP_IN, ENTRY_POINTS, SEGMENT_FUNCTION, SERVER_BIN } from './entry-points.cjs';

// The version is written in package.json only; the code gets it here (core/version.ts).
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// One entry per import path (entry-points.cjs); shared code goes to chunks, so each path pulls in only what it uses.
const entries = Object.fromEntries(ENTRY_POINTS.map(({ name, source }) => [name, source]));

// `__DEBUG_BUILD__` (core/debug-build.ts): false leaves every debug message out; only the lean drop-in sets it.
const typescript = ({ debug = true } = {}) =>
  esbuild({ target: 'es2020', tsconfig: 'tsconfig.json', define: { __PACKAGE_VERSION__: JSON.stringify(version), __DEBUG_BUILD__: String(debug) } });
const minify = () => terser({ compress: { passes: 2, unsafe_arrows: true }, format: { comments: false } });

/**
 * Lowers a finished chunk to ES5 with TypeScript, for GTM's Custom HTML check, which accepts only ES5 syntax
 * (esbuild cannot lower to ES5). Without `downlevelIteration`, for-of and array spread become index loops: right
 * for arrays only, so test/build/gtm-es5.test.js type-checks the drop-in's sources for ES5, where iterating a Set
 * or a Map fails to compile. TypeScript puts its helpers (__assign) at the top of the file: the wrapping function
 * keeps them out of the page's globals, and its `this`, a fresh object, keeps them from picking up a page's
 * `window.__assign` (each helper reads `this.__assign` first).
 */
const es5 = () => ({
  name: 'es5',
  renderChunk(code) {
    const { outputText } = ts.transpileModule(code, {
      compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.None, removeComments: true },
    });
    return { code: `(function () {\n${outputText}\n}).call({});\n`, map: null };
  },
});

// The SDKs are optional peers, imported for their types only: never bundle them. The server path may import
// Node's built-ins (server/verify.ts, server/bin.ts).
const external = [/^@segment\//, /^@rudderstack\//, /^redis$/, /^node:/];

const SERVER_INDEX = path.resolve(ENTRY_POINTS.find((entry) => entry.subpath === './server').source);

export default [
  {
    input: entries,
    external,
    plugins: [typescript()],
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    // The webhook server's command: Node only, ESM, the SDKs loaded from the user's node_modules at run time, the
    // handler imported from dist/server.js (not a second copy).
    input: SERVER_BIN.source,
    external: [...external, SERVER_INDEX],
    plugins: [typescript()],
    output: { file: SERVER_BIN.file, format: 'es', banner: '#!/usr/bin/env node', paths: { [SERVER_INDEX]: './server.js' } },
  },
  {
    // The Segment Source Function: a script, not a module. Segment's editor looks for a top-level
    // `async function onRequest(request, settings)`; the code lives in one IIFE global beside it. Node 14 runs it
    // (es2020 is what Node 14 supports).
    input: SEGMENT_FUNCTION.source,
    plugins: [typescript()],
    output: {
      file: SEGMENT_FUNCTION.file,
      format: 'iife',
      name: SEGMENT_FUNCTION.global,
      banner: '// kustomer-chat-analytics: Kustomer webhooks → Segment, as a Source Function. Paste this whole file. See docs/server.md.',
      footer: `async function onRequest(request, settings) {\n  return ${SEGMENT_FUNCTION.global}.onRequest(request, settings);\n}`,
    },
  },
  {
    // The lean drop-in for a GTM Custom HTML tag or a plain <script>: no debug messages, no GA4 pushes.
    input: DROP_IN.source,
    plugins: [typescript({ debug: false })],
    output: [
      { file: DROP_IN.file, format: 'iife', sourcemap: true, plugins: [minify()] },
      {
        // The same drop-in as ES5, for the GTM container's Custom HTML tag (docs/gtm/kustomer-chat-container.json).
        file: DROP_IN.es5,
        format: 'iife',
        sourcemap: false,
        plugins: [es5(), terser({ ecma: 5, compress: { passes: 2 }, format: { comments: false } })],
      },
    ],
  },
  {
    // The full drop-in: the lean one with the GA4-ready pushes and the debug messages, minified and readable.
    input: DROP_IN.full.source,
    plugins: [typescript()],
    output: [
      { file: DROP_IN.full.file, format: 'iife', sourcemap: true, plugins: [minify()] },
      { file: DROP_IN.unminified, format: 'iife', sourcemap: true },
    ],
  },
];
