/**
 * docs/privacy.md's OneTrust block, run as written against the built package in a jsdom page with a OneTrust
 * stand-in: OneTrust sets `window.OnetrustActiveGroups` once loaded and calls `window.OptanonWrapper` then and at
 * every consent change (https://my.onetrust.com/s/article/UUID-d81787f6-685c-2262-36c3-5f1f3369e2a7).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/docs-tables.js';

const doc = readFileSync(path.join(repoRoot, 'docs/privacy.md'), 'utf8');
const block = /\*\*OneTrust\*\*[\s\S]*?```js\n([\s\S]*?)\n```/.exec(doc)[1];
const cache = path.join(repoRoot, 'test/.cache/docs-onetrust');
let runs = 0;
let page;

/** A page with Segment ready (a stand-in recording `track`), then the block, as a module of its own. */
async function runBlock(code, prepare = () => {}) {
  const dom = new JSDOM('<!doctype html>', { url: 'https://onetrust.example/' });
  const tracked = [];
  dom.window.analytics = { track: (name) => tracked.push(name), ready: (callback) => callback() };
  page = { dom, saved: { window: globalThis.window, document: globalThis.document } };
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  prepare(dom.window);
  mkdirSync(cache, { recursive: true });
  runs += 1;
  const file = path.join(cache, `block-${runs}.mjs`);
  const resolved = code.replace(/from 'kustomer-chat-analytics(?:\/(\w+))?'/g, (_, sub) => `from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist', `${sub ?? 'index'}.js`)).href)}`);
  writeFileSync(file, `${resolved}\nexport { chat };\n`);
  const { chat } = await import(/* @vite-ignore */ pathToFileURL(file).href);
  page.chat = chat;
  return { chat, tracked, window: dom.window };
}

/** OneTrust arriving: its groups, then its call of OptanonWrapper. */
function oneTrustLoads(window, groups) {
  window.OnetrustActiveGroups = groups;
  if (typeof window.OptanonWrapper === 'function') window.OptanonWrapper();
}

afterEach(() => {
  page?.chat?.stop();
  Object.assign(globalThis, page.saved);
  page.dom.window.close();
  page = undefined;
});

describe("docs/privacy.md's OneTrust block (defect 5)", () => {
  it('holds events until OneTrust, loaded after the tracker, grants analytics, then sends them once', async () => {
    const { chat, tracked, window } = await runBlock(block);
    chat.emit('chat_opened');
    expect(tracked).toEqual([]);
    expect(chat.stats().heldForConsent).toBe(1);
    oneTrustLoads(window, ',C0001,C0002,');
    expect(tracked).toEqual(['Live Chat Opened']);
    expect(chat.stats().heldForConsent).toBe(0);
  });

  it('with OneTrust loaded first and analytics refused, waits for the consent change; the page OptanonWrapper still runs', async () => {
    const pageWrapperCalls = [];
    const { chat, tracked, window } = await runBlock(block, (win) => {
      win.OnetrustActiveGroups = ',C0001,';
      win.OptanonWrapper = () => pageWrapperCalls.push('page');
    });
    chat.emit('chat_opened');
    expect(tracked).toEqual([]);
    oneTrustLoads(window, ',C0001,C0002,');
    expect(tracked).toEqual(['Live Chat Opened']);
    expect(pageWrapperCalls).toEqual(['page']);
    // stop() gives the page its own OptanonWrapper back.
    chat.stop();
    window.OptanonWrapper();
    expect(pageWrapperCalls).toEqual(['page', 'page']);
    expect(tracked).toEqual(['Live Chat Opened']);
  });

  it('sends at once when OneTrust loaded first with analytics granted', async () => {
    const { chat, tracked } = await runBlock(block, (win) => {
      win.OnetrustActiveGroups = ',C0001,C0002,';
    });
    chat.emit('chat_opened');
    expect(tracked).toEqual(['Live Chat Opened']);
  });

  it('sends nothing when OneTrust never loads, nor when it loads with analytics refused', async () => {
    const { chat, tracked, window } = await runBlock(block);
    chat.emit('chat_opened');
    oneTrustLoads(window, ',C0001,');
    expect(tracked).toEqual([]);
    expect(chat.stats().heldForConsent).toBe(1);
  });

  it('the earlier snippet, planted in the same page, never hears OneTrust loaded after it', async () => {
    const earlier = `import { createChatTracker } from 'kustomer-chat-analytics';
import { segmentDestination } from 'kustomer-chat-analytics/segment';
const getCategories = () => ({ Analytics: window.OnetrustActiveGroups.includes('C0002') });
const chat = createChatTracker({
  destinations: [segmentDestination()],
  consent: { granted: () => getCategories().Analytics === true, subscribe: (update) => window.OneTrust.OnConsentChanged(update) },
}).start();`;
    const { chat, tracked, window } = await runBlock(earlier);
    chat.emit('chat_opened');
    oneTrustLoads(window, ',C0001,C0002,');
    expect(tracked).toEqual([]);
  });
});

