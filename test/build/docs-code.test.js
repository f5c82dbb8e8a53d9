/**
 * Every code block of README.md and docs/ compiles as a reader would paste it. The rules, for whoever adds a block:
 *
 * - Each ```js / ```javascript / ```ts / ```typescript block is compiled on its own, as its own ES module
 *   (`export {}` is appended), against the built package (`kustomer-chat-analytics/...` resolves through
 *   package.json's `exports` to dist/, as for a user) and the SDKs of devDependencies.
 * - Twice: `moduleResolution` bundler and node16; `strict`, no `skipLibCheck`. js blocks are checked too
 *   (`checkJs`), so a misspelt option or a wrong argument fails here as it would in an editor.
 * - So a block carries its imports and defines what it uses (`analytics`, `rudderanalytics`, `tracker`), with a
 *   one-line comment where a value comes from. The only globals it may assume are the page's own, declared in
 *   test/build/docs-code-globals.d.ts (a consent manager, the drop-in's `window.KustomerChatAnalytics`).
 * - A block that is not code to paste (a value as a destination receives it) is skipped by an HTML comment on the
 *   line right before its fence, with the reason: `<!-- docs-code: skip, <reason> -->`. Use it sparingly.
 * - Blocks in other languages (sh, html, json, text) are not compiled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/e2e-page.js';

/**
 * Errors in a vendor's own declarations, not in the docs: RudderStack v3's dist/npm/index.d.mts imports
 * `@preact/signals-core`, which the package does not install, and names `UADataValues`, which no TypeScript lib
 * declares. Any user without `skipLibCheck` gets them (docs/rudderstack.md says so); they are left out here, and any
 * other error in that file still fails.
 */
const VENDOR_ERRORS = [
  /node_modules\/@rudderstack\/analytics-js\/dist\/npm\/index\.d\.mts\(\d+,\d+\): error TS2307: Cannot find module '@preact\/signals-core'/,
  /node_modules\/@rudderstack\/analytics-js\/dist\/npm\/index\.d\.mts\(\d+,\d+\): error TS2304: Cannot find name 'UADataValues'/,
];

const COMPILED = { js: 'js', javascript: 'js', ts: 'ts', typescript: 'ts' };
const SKIP = /^<!--\s*docs-code:\s*skip\b[,:]?\s*(.*?)\s*-->$/;
const workDir = path.join(repoRoot, 'test/.cache/docs-code');

function markdownFiles() {
  const walk = (dir) => readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(relative);
    return entry.name.endsWith('.md') ? [relative] : [];
  });
  return ['README.md', ...walk('docs')];
}

/** The fenced blocks of a Markdown file: language, first code line (1-based), code, and the skip reason if any. */
function codeBlocks(doc, text) {
  const lines = text.split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const close = lines.findIndex((line, j) => j > i && line.trim() === '```');
    if (close === -1) throw new Error(`${doc}:${i + 1}: a code fence is never closed`);
    const skip = SKIP.exec((lines[i - 1] ?? '').trim());
    blocks.push({ doc, language: open[2].toLowerCase(), line: i + 2, code: lines.slice(i + 1, close).join('\n'), skip: skip ? skip[1] : undefined });
    i = close;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap((doc) => codeBlocks(doc, readFileSync(path.join(repoRoot, doc), 'utf8')));
const compiled = blocks.filter((block) => COMPILED[block.language] && block.skip === undefined);
const fileOf = (block) => `${block.doc.replace(/\W/g, '_')}_L${block.line}.${COMPILED[block.language]}`;

/** Runs tsc over every block with one module resolution; returns its errors as `doc:line: message`. */
function compile(name, options, list = compiled) {
  const config = {
    compilerOptions: {
      target: 'ES2020',
      lib: ['ES2020', 'DOM', 'DOM.Iterable'],
      types: [],
      strict: true,
      skipLibCheck: false,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      ...options,
    },
    files: ['../../build/docs-code-globals.d.ts', ...list.map(fileOf)],
  };
  writeFileSync(path.join(workDir, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--pretty', 'false'], { cwd: workDir, encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  const byFile = new Map(list.map((block) => [fileOf(block), block]));
  const errors = run.stdout.split('\n').filter((line) => line && !VENDOR_ERRORS.some((known) => known.test(line))).map((line) => {
    const where = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const block = where && byFile.get(where[1]);
    return block ? `${block.doc}:${block.line + Number(where[2]) - 1}: ${where[4]}` : line;
  });
  if (run.status !== 0 && !run.stdout.trim()) errors.push(`tsc exited ${run.status}: ${run.stderr}`);
  return errors;
}

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(path.join(workDir, 'node_modules'), { recursive: true });
  // As installed from npm: the package by its name, resolved through its exports to the built dist/.
  symlinkSync(repoRoot, path.join(workDir, 'node_modules/kustomer-chat-analytics'), 'dir');
  for (const block of compiled) writeFileSync(path.join(workDir, fileOf(block)), `${block.code}\nexport {};\n`);
  expect(existsSync(path.join(repoRoot, 'dist/index.d.ts')), 'dist/ is not built: run npm run build').toBe(true);
});

describe('code blocks in README.md and docs/', () => {
  it('finds the blocks, and every skipped block gives its reason', () => {
    expect(compiled.length).toBeGreaterThan(15);
    const unexplained = blocks.filter((block) => block.skip !== undefined && block.skip.split(/\s+/).length < 3);
    expect(unexplained.map((block) => `${block.doc}:${block.line}`), 'a skip marker needs a reason of a few words').toEqual([]);
  });

  it('compile with moduleResolution bundler (strict, no skipLibCheck); a planted error is reported at its Markdown line', () => {
    // The check itself can fail: a block using an undefined `analytics`, compiled with the others, is reported
    // where it is written, and is the only error.
    const [planted] = codeBlocks('example.md', '# x\n\n```js\nimport { segmentDestination } from "kustomer-chat-analytics/segment";\nsegmentDestination(analytics);\n```\n');
    writeFileSync(path.join(workDir, fileOf(planted)), `${planted.code}\nexport {};\n`);
    const errors = compile('bundler', { module: 'ESNext', moduleResolution: 'Bundler' }, [...compiled, planted]);
    expect(errors).toEqual([expect.stringMatching(/^example\.md:5: error TS2304: Cannot find name 'analytics'/)]);
  });

  it('compile with moduleResolution node16 (strict, no skipLibCheck)', () => {
    expect(compile('node16', { module: 'Node16', moduleResolution: 'Node16' })).toEqual([]);
  });
});
