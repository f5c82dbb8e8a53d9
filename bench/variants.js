/**
 * Two builds of the drop-in made the same way (esbuild, minified IIFE) for the per-event bench: as it is, and
 * without the long-session id memory (core/dedupe.ts `idSet` made to remember nothing), to tell what that memory
 * costs per event apart from everything else in the drop-in. Written under test/.cache/bench/, served by URL.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(repoRoot, 'test/.cache/bench');
// idSet's `add`: made to let every id through, the memory is never written nor read.
const REMEMBER = 'isUniqueId(id) || seen.add(id)';

const forgetting = {
  name: 'id-set-forgets',
  setup(b) {
    b.onLoad({ filter: /core[\\/]dedupe\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(REMEMBER)) throw new Error(`bench/variants.js: core/dedupe.ts no longer has "${REMEMBER}"`);
      return { contents: source.replace(REMEMBER, 'true'), loader: 'ts' };
    });
  },
};

async function dropIn(file, plugins) {
  await build({ entryPoints: [path.join(repoRoot, 'plugins/gtm/drop-in.ts')], bundle: true, format: 'iife', minify: true, target: 'es2019', outfile: path.join(OUT, file), plugins, logLevel: 'silent' });
  return `/test/.cache/bench/${file}`;
}

/** The URLs of both builds. */
export async function dropInVariants() {
  return { asIs: await dropIn('drop-in.js', []), withoutIdMemory: await dropIn('drop-in-without-id-memory.js', [forgetting]) };
}
