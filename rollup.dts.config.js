import { dts } from 'rollup-plugin-dts';
import { ENTRY_POINTS, distFiles } from './entry-points.cjs';

/**
 * Type declarations, one self-contained file per import path and module format: `dist/<name>.d.ts` beside the
 * ESM build and `dist/<name>.d.cts` beside the CommonJS one. Each entry is bundled on its own (no shared chunk),
 * so a declaration file imports nothing relative and resolves the same under bundler, node16 ESM and node16
 * CommonJS resolution (checked by `publint --strict` and `attw --profile node16` in test/build/package.test.js).
 *
 * The types shared by several paths (ChatEvent, Destination, …) are repeated in each file; they are interfaces
 * and type aliases, so the copies are interchangeable.
 *
 * The SDKs are optional peers: a declaration that imports one would not compile for a user without it. The only
 * SDK type in the public API is Segment's `Plugin` (the return type of `kustomerChatPlugin()`); it is replaced by
 * the structural copy in scripts/types/segment-plugin.d.ts, and the build fails on any other SDK import, so a new
 * one is noticed.
 */
const SDK = /^@(segment|rudderstack)\//;

/** Resolves `import type { Plugin } from '@segment/analytics-next'` to the local copy; refuses any other SDK import. */
function sdkTypesWithoutSdks() {
  return {
    name: 'sdk-types-without-sdks',
    resolveId(source, importer) {
      if (!SDK.test(source)) return null;
      if (source === '@segment/analytics-next') return new URL('./scripts/types/segment-plugin.d.ts', import.meta.url).pathname;
      this.error(`${importer} imports types from ${source}: declare them structurally instead, so users without the SDK can type-check`);
    },
  };
}

// One per import path (entry-points.cjs).
export default ENTRY_POINTS.map((entry) => ({
  input: entry.source,
  plugins: [sdkTypesWithoutSdks(), dts({ tsconfig: 'tsconfig.json', compilerOptions: { types: [] } })],
  output: [
    { file: distFiles(entry).esmTypes, format: 'es' },
    { file: distFiles(entry).cjsTypes, format: 'es' },
  ],
}));
