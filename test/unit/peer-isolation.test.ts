// The SDKs are optional peers imported as types only. This reads the built files: importing the Segment entry
// must not pull in RudderStack code, nor the reverse, and no built file may carry either SDK.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { NODE_ONLY_FILES } from '../../scripts/check-bundles.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = path.join(root, 'dist');
const ENTRIES = ['segment.js', 'segment.cjs', 'rudderstack.js', 'rudderstack.cjs'];

beforeAll(() => {
  if (!ENTRIES.every((entry) => existsSync(path.join(dist, entry)))) execSync('npm run build', { cwd: root, stdio: 'ignore' });
}, 120_000);

// `from './x'`, `import './x'`, `import('./x')`, `require('./x')`: what the file loads, relative or bare.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

const specifiers = (text: string) => [...text.matchAll(SPECIFIER)].map((match) => match[1]);

/** An entry and every built file it loads, following relative imports and requires. */
function closure(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const spec of specifiers(text)) if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
  };
  visit(path.join(dist, entry));
  return files;
}

/** Every built script in dist (source maps and type declarations excluded: they are not loaded). */
function builtScripts(dir = dist): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'types' ? [] : builtScripts(full);
    return /\.(c|m)?js$/.test(entry.name) ? [full] : [];
  });
}

const relative = (file: string) => path.relative(dist, file);

// What identifies each tool's code: its package, its entry file, its exported names, its page global.
const SEGMENT_CODE = [/@segment\//, /(^|\/)segment\.c?js$/m, /\bsegmentDestination\b/, /\bkustomerChatPlugin\b/, /['"]analytics['"]/];
const RUDDERSTACK_CODE = [/@rudderstack\//, /(^|\/)rudderstack\.c?js$/m, /rudder/i];

describe('peer isolation of the built files', () => {
  for (const format of ['js', 'cjs']) {
    it(`keeps RudderStack out of everything dist/segment.${format} loads`, () => {
      const files = closure(`segment.${format}`);
      expect(files.size).toBeGreaterThan(1);
      for (const [file, text] of files) {
        for (const marker of RUDDERSTACK_CODE) expect(marker.test(`${relative(file)}\n${text}`), `${relative(file)} matches ${marker}`).toBe(false);
      }
    });

    it(`keeps Segment out of everything dist/rudderstack.${format} loads`, () => {
      const files = closure(`rudderstack.${format}`);
      expect(files.size).toBeGreaterThan(1);
      for (const [file, text] of files) {
        for (const marker of SEGMENT_CODE) expect(marker.test(`${relative(file)}\n${text}`), `${relative(file)} matches ${marker}`).toBe(false);
      }
    });
  }

  it('loads nothing but its own files from any entry: no bare import of an SDK or anything else', () => {
    const bare = builtScripts()
      .flatMap((file) => specifiers(readFileSync(file, 'utf8')).map((spec) => `${relative(file)}: ${spec}`))
      .filter((line) => !line.split(': ')[1].startsWith('.'))
      // Node's built-ins, in the files that only run in Node (the server path and its command).
      .filter((line) => !(NODE_ONLY_FILES.includes(`dist/${line.split(': ')[0]}`) && line.split(': ')[1].startsWith('node:')));
    expect(bare).toEqual([]);
  });

  it('bundles no SDK source into any built file', async () => {
    // Strings from the SDKs' own code (endpoints, library name), proven to be in the real SDK bundle first.
    const sdkOnly = ['api.segment.io', 'cdn.segment.com', 'RudderLabs JavaScript SDK', 'api.rudderstack.com', 'cdn.rudderlabs.com'];
    const sdkBundle = readFileSync((await buildSdkBundles()).file, 'utf8');
    for (const marker of sdkOnly) expect(sdkBundle.includes(marker), `the real SDK bundle contains ${marker}`).toBe(true);

    const scripts = builtScripts();
    expect(scripts.map(relative)).toEqual(expect.arrayContaining(['index.js', 'index.cjs', ...ENTRIES]));
    for (const file of scripts) {
      const text = readFileSync(file, 'utf8');
      for (const marker of sdkOnly) expect(text.includes(marker), `${relative(file)} contains ${marker}`).toBe(false);
    }
  });
});
