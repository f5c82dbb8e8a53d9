/**
 * Builds of the lean drop-in made the same way (esbuild, minified IIFE, no debug messages), each with one more part
 * of the per-message path taken out, for the per-event bench: where a message's time goes. Each variant keeps the
 * cuts of the ones before it, so the difference between neighbours is what that part costs. The cuts are text
 * replacements in the sources; a replacement that no longer matches fails the bench, not a silent no-op.
 * Written under test/.cache/bench/, served by URL.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(repoRoot, 'test/.cache/bench');

/** [label, file, text, replacement], cumulative, in the order of the table. */
const CUTS = [
  ['the long-session id memory (core/dedupe.ts idSet)', 'core/dedupe.ts', 'isUniqueId(id) || seen.add(id)', 'true'],
  [
    'the page-wide claims (one delivery per destination key, core/dedupe.ts createDedupe)',
    'core/tracker.ts',
    'const claim = shared &&',
    'const claim = false &&',
  ],
  [
    "the deterministic id: hash53 of action, conversation and message id, written 'k' + decimal",
    'core/event.ts',
    "'k' + decimal(idHash(action, conversationId ?? '', idSeed))",
    "'k1'",
  ],
  [
    'the rest of buildEvent: reading and checking each field, the timestamp, the event object',
    'core/source.ts',
    'const event = buildEvent(one.action, one.fields, origin, one.idSeed);',
    "const event = { id: 'k1', action: one.action, platform: 'kustomer', timestamp: '', origin } as ChatEvent;",
  ],
];

const cutting = (cuts) => ({
  name: 'cuts',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [, file, text, replacement] of cuts) {
        if (!args.path.endsWith(path.join(file))) continue;
        if (!source.includes(text)) throw new Error(`bench/variants.js: ${file} no longer has "${text}"`);
        source = source.replace(text, replacement);
      }
      return { contents: source, loader: 'ts' };
    });
  },
});

async function dropIn(file, cuts) {
  await build({
    entryPoints: [path.join(repoRoot, 'plugins/gtm/drop-in.ts')],
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    define: { __DEBUG_BUILD__: 'false' },
    outfile: path.join(OUT, file),
    plugins: [cutting(cuts)],
    logLevel: 'silent',
  });
  return `/test/.cache/bench/${file}`;
}

/** `[{ label, url }]`: the drop-in as it is, then without each part in turn (label: the part taken out). */
export async function dropInVariants() {
  const variants = [{ label: 'as it is', url: await dropIn('drop-in-0.js', []) }];
  for (let i = 1; i <= CUTS.length; i++) variants.push({ label: CUTS[i - 1][0], url: await dropIn(`drop-in-${i}.js`, CUTS.slice(0, i)) });
  return variants;
}
