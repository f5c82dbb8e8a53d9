/**
 * The Segment and RudderStack lines of the docs do what a reader expects once pasted (issue 21, defect 6): every
 * `kustomerChatPlugin(...)` kept in a variable is handed to Segment, and every data plane URL given to
 * `rudderanalytics.load` passes the RudderStack SDK's own check, read from the installed SDK.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markdownFiles, repoRoot } from '../../scripts/docs-tables.js';

const read = (file) => readFileSync(path.join(repoRoot, file), 'utf8');
const REPORTS = ['docs/performance.md', 'docs/reliability.md'];
const blocks = markdownFiles()
  .filter((file) => !REPORTS.includes(file))
  .flatMap((file) => [...read(file).matchAll(/(.*)\n\s*```(?:js|ts)\n([\s\S]*?)\n\s*```/g)].map((m) => ({ file, code: m[2], skipped: m[1].includes('docs-code: skip') })))
  // Blocks test/build/docs-code.test.js compiles: code to paste, not console lines or values as received.
  .filter((block) => !block.skipped);

/** The SDK's URL_PATTERN, the regular expression its `load` checks the data plane URL with. */
function rudderstackUrlPattern() {
  const sdk = read('node_modules/@rudderstack/analytics-js/dist/npm/modern/esm/index.mjs');
  const source = /const URL_PATTERN=(new RegExp\([\s\S]*?\))\s*;/.exec(sdk);
  if (!source) throw new Error('the RudderStack SDK no longer declares URL_PATTERN: look up how load() checks the data plane URL');
  return Function(`return ${source[1]}`)();
}

/** Plugins kept in a variable and never given to Segment (`plugins: [...]` or `register(...)`). */
function unregisteredPlugins(code) {
  return [...code.matchAll(/const (\w+) = kustomerChatPlugin\(/g)]
    .map((m) => m[1])
    .filter((name) => !new RegExp(`plugins:\\s*\\[[^\\]]*\\b${name}\\b|register\\([^)]*\\b${name}\\b`).test(code));
}

describe('Segment plugin snippets', () => {
  it('every plugin a block creates is registered with Segment', () => {
    const withPlugin = blocks.filter((block) => block.code.includes('kustomerChatPlugin('));
    expect(withPlugin.length).toBeGreaterThan(1);
    expect(withPlugin.flatMap((block) => unregisteredPlugins(block.code).map((name) => `${block.file}: ${name}`))).toEqual([]);
  });

  it('reports the options block as it was: a plugin made and never registered', () => {
    const earlier = "const plugin = kustomerChatPlugin({ eventNames: { satisfaction_submitted: 'Chat Rated' } });";
    expect(unregisteredPlugins(earlier)).toEqual(['plugin']);
    expect(unregisteredPlugins(`${earlier}\nAnalyticsBrowser.load({ writeKey: 'k', plugins: [plugin] });`)).toEqual([]);
  });
});

describe('RudderStack data plane URLs', () => {
  it("every rudderanalytics.load(...) URL in the docs passes the SDK's check, and the old placeholder does not", () => {
    const pattern = rudderstackUrlPattern();
    expect(pattern.test('https://YOUR_DATA_PLANE_URL')).toBe(false);
    const urls = blocks.flatMap((block) => [...block.code.matchAll(/rudderanalytics\.load\('[^']*', '([^']*)'/g)].map((m) => ({ file: block.file, url: m[1] })));
    expect(urls.length).toBeGreaterThan(2);
    for (const { file, url } of urls) {
      expect(() => new URL(url), `${file}: ${url}`).not.toThrow();
      expect(pattern.test(url), `${file}: ${url}`).toBe(true);
    }
  });
});
