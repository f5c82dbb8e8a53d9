/**
 * The README's first screen is the marketer's GTM path, its set-up commands stay true, and
 * docs/production-checklist.md names what the build's `stats()` returns.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/docs-tables.js';

const read = (file) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('README.md', () => {
  const readme = read('README.md');
  const setUp = readme.indexOf('\n## Set-up');

  it('opens with the GTM path, in order: import the container, set the Measurement ID, preview, publish', () => {
    expect(setUp).toBeGreaterThan(0);
    const firstScreen = readme.slice(0, setUp);
    expect(firstScreen).not.toMatch(/npm (install|ci)|import \{/);
    const steps = ['kustomer-chat-container.json', 'Import Container', 'GA4 Measurement ID', 'Preview', 'Publish'].map((step) => firstScreen.indexOf(step));
    expect(steps.every((at) => at >= 0), `steps at ${steps}`).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(firstScreen).toContain('](docs/production-checklist.md)');
  });

  it("keeps its two set-up commands true: npm start serves the demo on the port it names, npm test runs the tests", () => {
    const commands = /## Set-up[\s\S]*?```sh\n([\s\S]*?)\n```/.exec(readme)[1].split('\n');
    expect(commands.map((line) => line.split('#')[0].trim())).toEqual(['npm ci && npm start', 'npm test']);
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.scripts.start).toBe('node demo/server.js');
    expect(pkg.scripts.test).toMatch(/^vitest run/);
    const port = /const DEFAULT_PORT = (\d+);/.exec(read('demo/server.js'))[1];
    expect(commands[0]).toContain(`http://127.0.0.1:${port}`);
  });
});

describe('docs/production-checklist.md', () => {
  const checklist = read('docs/production-checklist.md');

  it("names every counter of the build's stats(), and every state of stats().kustomer", async () => {
    const dom = new JSDOM('<!doctype html>', { url: 'https://checklist.example/' });
    const saved = { window: globalThis.window, document: globalThis.document };
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    let stats;
    try {
      const { createChatTracker } = await import(pathToFileURL(path.join(repoRoot, 'dist/index.js')).href);
      const { gtmDataLayer } = await import(pathToFileURL(path.join(repoRoot, 'dist/gtm.js')).href);
      const tracker = createChatTracker({ sessionMemory: false, destinations: [gtmDataLayer()] }).start();
      stats = tracker.stats();
      tracker.stop();
    } finally {
      Object.assign(globalThis, saved);
      dom.window.close();
    }
    const top = Object.keys(stats).filter((key) => typeof stats[key] !== 'object');
    const counters = Object.keys(stats.destinations.gtm);
    const kustomer = Object.keys(stats.kustomer).flatMap((sdk) => Object.keys(stats.kustomer[sdk]).map((key) => `kustomer.${sdk}.${key}`));
    expect(counters).toContain('buffered');
    const missing = [...top, ...counters, ...kustomer.filter((key) => !key.startsWith('kustomer.core.attach'))].filter((name) => !checklist.includes(name));
    expect(missing).toEqual([]);
    const states = /state: ((?:'\w+'(?: \| )?)+);/.exec(read('dist/index.d.ts'))[1].match(/\w+/g);
    expect(states).toEqual(['absent', 'waiting', 'listening']);
    for (const state of states) expect(checklist).toContain(`\`${state}\``);
  });

  it('covers CSP for each path, ad blockers, consent, monitoring and the server-side source', () => {
    for (const heading of ['Content Security Policy', 'Ad blockers', 'Consent', 'What to monitor']) expect(checklist).toMatch(new RegExp(`^## \\d\\. ${heading}`, 'm'));
    for (const directive of ['script-src', 'connect-src']) expect(checklist).toContain(directive);
    for (const host of ['www.googletagmanager.com', 'cdn.segment.com', 'api.segment.io', 'cdn.rudderlabs.com', 'cdn.jsdelivr.net']) expect(checklist).toContain(host);
    expect(checklist).toMatch(/server-side source/);
  });
});

describe('screenshots (npm run docs:screenshots)', () => {
  it('each picture the script draws is committed in docs/images/ and shown by a doc', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.scripts['docs:screenshots']).toMatch(/node scripts\/docs-screenshots\.js$/);
    expect(pkg.scripts.test).not.toMatch(/screenshots/);
    const drawn = [...read('scripts/docs-screenshots.js').matchAll(/'([\w-]+\.png)': /g)].map((m) => m[1]);
    expect(drawn).toEqual(['gtm-import.png', 'tag-assistant.png', 'ga4-debugview.png']);
    const docs = ['README.md', 'docs/gtm/README.md', 'docs/ga4.md'].map(read).join('\n');
    for (const file of drawn) {
      expect(existsSync(path.join(repoRoot, 'docs/images', file)), file).toBe(true);
      expect(docs, file).toContain(`/docs/images/${file})`);
    }
  });
});
