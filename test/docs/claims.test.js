/**
 * Sentences of the docs that once said more than the build does (issue 21): what `delivered` counts, the order
 * the scripts may load in, what `node scripts/build-gtm-container.js` does without `--write`. Each test reads the
 * doc and checks it against the build, the script or the measured report.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { markdownFiles, repoRoot } from '../../scripts/docs-tables.js';

const read = (file) => readFileSync(path.join(repoRoot, file), 'utf8');
const REPORTS = ['docs/performance.md', 'docs/reliability.md'];
const written = () => markdownFiles().filter((file) => !REPORTS.includes(file));

/** Every key path of a value: `destinations.gtm.delivered`, …, with the keys of a map such as destinations kept. */
const keyPaths = (value, prefix = '') =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => [`${prefix}${key}`, ...keyPaths(inner, `${prefix}${key}.`)]) : [];

describe('docs/troubleshooting.md: stats() (defect 4)', () => {
  const doc = read('docs/troubleshooting.md');

  it('does not claim that what reaches Segment or RudderStack equals `delivered`', () => {
    const paragraph = doc.split('\n\n').find((part) => part.includes('`delivered` counts'));
    expect(paragraph).toBeDefined();
    expect(paragraph).not.toMatch(/equals? `delivered`|== ?`?delivered|reaches [^.]* equals/);
    // It says what delivered does not prove, with the case issue 21 measured.
    expect(paragraph).toMatch(/does not say that the SDK's network request succeeded/);
    expect(paragraph).toMatch(/RudderStack whose plugin CDN is unreachable/);
  });

  it('its stats() example has every key the built tracker returns, stitchFailures and kustomer included', async () => {
    const example = /```js\n(\{\n {2}received:[\s\S]*?\n\})\n```/.exec(doc)[1];
    const documented = Function(`return (${example})`)();
    const dom = new JSDOM('<!doctype html>', { url: 'https://stats.example/' });
    const saved = { window: globalThis.window, document: globalThis.document };
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    try {
      const { createChatTracker } = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
      const { gtmDataLayer } = await import(pathToFileURL(path.join(repoRoot, 'dist/gtm.js')).href);
      const { segmentDestination } = await import(pathToFileURL(path.join(repoRoot, 'dist/segment.js')).href);
      const { rudderstackDestination } = await import(pathToFileURL(path.join(repoRoot, 'dist/rudderstack.js')).href);
      const tracker = createChatTracker({ sessionMemory: false, destinations: [gtmDataLayer(), segmentDestination(), rudderstackDestination()] }).start();
      const stats = tracker.stats();
      tracker.stop();
      expect(keyPaths(stats)).toContain('stitchFailures');
      expect(keyPaths(stats)).toContain('kustomer.widget.attachAttempts');
      expect(keyPaths(documented).sort()).toEqual(keyPaths(stats).sort());
    } finally {
      Object.assign(globalThis, saved);
      dom.window.close();
    }
  });
});

describe('load order (defect 7)', () => {
  it('no written doc says the library works in whatever order the scripts load', () => {
    const claims = written().flatMap((file) => read(file).split('\n').map((line, i) => [file, i + 1, line])).filter(([, , line]) => /whatever order|in any order|either order/i.test(line));
    expect(claims.map(([file, line]) => `${file}:${line}`)).toEqual([]);
  });

  it('README and getting-started give the late-load window, within what the reliability report measured', () => {
    const measured = read('docs/reliability.md')
      .split('\n')
      .filter((line) => /^\| drop-in loaded [\d.]+ s after start\(\)/.test(line))
      .map((line) => Number(line.split('|').slice(1, -1).at(-1).trim()));
    expect(measured.length).toBeGreaterThan(1);
    for (const file of ['README.md', 'docs/getting-started.md', 'docs/troubleshooting.md']) {
      const stated = /(\d+) to (\d+) ms/.exec(read(file).replace(/\*\*/g, ''));
      expect(stated, `${file} states no loss window`).not.toBeNull();
      const [low, high] = [Number(stated[1]), Number(stated[2])];
      expect(Math.min(...measured), file).toBeGreaterThanOrEqual(low);
      expect(Math.max(...measured), file).toBeLessThanOrEqual(high);
      expect(read(file), file).toMatch(/troubleshooting\.md#when-the-library-starts-listening|#when-the-library-starts-listening/);
    }
  });
});

describe('node scripts/build-gtm-container.js (defect 8)', () => {
  it('without --write changes nothing, and the docs never say it rewrites', () => {
    const file = path.join(repoRoot, 'docs/gtm/kustomer-chat-container.json');
    const before = readFileSync(file, 'utf8');
    const run = spawnSync(process.execPath, ['scripts/build-gtm-container.js'], { cwd: repoRoot, encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toMatch(/kustomer-chat-container\.json is (current|out of date)/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const lines = written().flatMap((doc) => read(doc).split('\n').map((line) => [doc, line]));
    const plain = lines.filter(([, line]) => /node scripts\/build-gtm-container\.js(?!\S)(?! --)/.test(line));
    expect(plain.length).toBeGreaterThan(0);
    for (const [doc, line] of plain) expect(line, doc).not.toMatch(/rewrite|writes (?!nothing)|# write/i);
  });
});
