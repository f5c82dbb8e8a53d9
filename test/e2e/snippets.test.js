// How sites really load Segment and RudderStack: the vendors' copy-paste snippets (test/fixtures/snippets/), the
// real SDK files they load served from 127.0.0.1 (test/support/snippet-sdks.js), in real Chromium. The SDK file is
// held back until the test lets it through, so a chat can happen before or after the SDK arrives. Every test
// checks exactly-once at the collector and that what arrived equals what `stats()` says was delivered.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPage } from '../../support/browser.js';
import { FULL_CONVERSATION_EVENT_NAMES, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import {
  prepareSnippetCdn,
  rudderStackSnippet,
  RUDDERSTACK_SDK_FILE,
  segmentSnippet,
  SEGMENT_SDK_FILE,
} from '../support/snippet-sdks.js';

const SEGMENT = '/v1/t';
const RUDDERSTACK = '/v1/track';
const CONVERSATION_ID = 'conv_abc123';
const SPEC_NAMES = FULL_CONVERSATION_EVENT_NAMES;

let e2e;
let collector;
let page;
let pageCount = 0;

beforeAll(async () => {
  [e2e] = await Promise.all([startE2e(), prepareSnippetCdn()]);
  collector = e2e.collector;
});
afterAll(() => e2e?.close());
beforeEach(() => collector.reset());
afterEach(() => page?.context().close());

/**
 * A page with `snippet` in its head, the Kustomer stand-in and the built library; the SDK file the snippet
 * loads is held back until `release()` is called.
 */
async function openSnippetPage(snippet, sdkFile) {
  const path = `/snippet-${++pageCount}.html`;
  collector.page(path, `<!doctype html><meta charset="utf-8">
<script>${snippet}</script>
${standInScript}
<script type="module">
  import { createChatTracker } from '/dist/index.js';
  import { kustomerChatPlugin, segmentDestination } from '/dist/segment.js';
  import { trackKustomerChat } from '/dist/rudderstack.js';
  window.lib = { createChatTracker, kustomerChatPlugin, segmentDestination, trackKustomerChat };
</script>`);
  page = await openPage(e2e.browser, null);
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(sdkFile, async (route) => {
    await released;
    await route.continue();
  });
  // Not 'load': the load event waits for the SDK script, which is held back.
  await page.goto(collector.url + path, { waitUntil: 'domcontentloaded' });
  await standInReady(page);
  await page.waitForFunction(() => Boolean(window.lib));
  return release;
}

const bodies = (path) => collector.requests.filter((r) => r.path === path).map((r) => r.body);
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

const chat = () =>
  page.evaluate(async (id) => {
    await window.kustomer.loadStartedWidgetAndCore();
    await window.kustomer.fullConversation(id);
  }, CONVERSATION_ID);

const segmentLoaded = () => page.waitForFunction(() => window.analytics && window.analytics.initialized === true, null, { timeout: 10_000 });
const rudderStackReady = async () => {
  await page.waitForFunction(() => window.rudderanalytics && !Array.isArray(window.rudderanalytics), null, { timeout: 10_000 });
  await page.evaluate(() => new Promise((resolve) => window.rudderanalytics.ready(resolve)));
};

/** Waits for `count` events at `path`, then a little longer so that an extra one would show up. */
async function received(path, count) {
  await collector.waitFor(() => bodies(path).length >= count, 10_000);
  await settle(400);
}

/** Each spec event exactly once, and the collector's count equals the sum of `delivered` over `trackers`. */
async function expectExactlyOnce(path, trackers, destination, extraNames = []) {
  const sent = bodies(path);
  expect(sent.map((b) => b.event).sort()).toEqual([...SPEC_NAMES, ...extraNames].sort());
  const ids = sent.map((b) => b.properties.event_id);
  expect(new Set(ids).size).toBe(ids.length);
  const all = await page.evaluate(([names, d]) => names.map((n) => window[n].stats().destinations[d]), [trackers, destination]);
  for (const stats of all) expect(stats).toMatchObject({ buffered: 0, dropped: 0, failed: 0 });
  expect(all.reduce((sum, s) => sum + s.delivered, 0)).toBe(sent.length);
  expect(page.pageErrors).toEqual([]);
  expect(page.requestUrls.filter((u) => new URL(u).hostname !== '127.0.0.1')).toEqual([]);
}

/** While the SDK is held back: nothing sent, everything counted as buffered, nothing as delivered. */
async function expectHeld(name, destination) {
  await settle();
  expect(bodies(SEGMENT).concat(bodies(RUDDERSTACK))).toEqual([]);
  expect((await page.evaluate((n) => window[n].stats(), name)).destinations[destination]).toMatchObject({ buffered: 8, delivered: 0, failed: 0 });
}

describe('Segment snippets', () => {
  for (const version of ['4.15.3', '5.2.0']) {
    for (const when of ['before', 'after']) {
      it(`${version}: segmentDestination(window.analytics), chat ${when} analytics.js arrives: each event once`, async () => {
        const release = await openSnippetPage(await segmentSnippet(version, collector), SEGMENT_SDK_FILE);
        await page.evaluate(() => {
          const { createChatTracker, segmentDestination } = window.lib;
          window.tracker = createChatTracker({ destinations: [segmentDestination(window.analytics)] }).start();
        });
        if (when === 'before') {
          await chat();
          await expectHeld('tracker', 'segment');
        }
        release();
        await segmentLoaded();
        if (when === 'after') await chat();
        await received(SEGMENT, SPEC_NAMES.length);
        await expectExactlyOnce(SEGMENT, ['tracker'], 'segment');
      });
    }
  }

  for (const when of ['before', 'after']) {
    it(`5.2.0: the plugin registered on the snippet plus segmentDestination(window.analytics), chat ${when} load: each event once`, async () => {
      const release = await openSnippetPage(await segmentSnippet('5.2.0', collector), SEGMENT_SDK_FILE);
      await page.evaluate(() => {
        const { createChatTracker, kustomerChatPlugin, segmentDestination } = window.lib;
        window.plugin = kustomerChatPlugin();
        window.analytics.register(window.plugin);
        window.tracker = createChatTracker({ destinations: [segmentDestination(window.analytics)] }).start();
      });
      if (when === 'before') await chat();
      release();
      await segmentLoaded();
      await page.waitForFunction(() => window.plugin.isLoaded());
      if (when === 'after') await chat();
      // One more event once both listen: whichever tracker claims it sends it, the other counts a duplicate.
      await page.evaluate(() => window.kustomer.open());
      await received(SEGMENT, SPEC_NAMES.length + 1);
      await expectExactlyOnce(SEGMENT, ['tracker', 'plugin'], 'segment', ['Live Chat Opened']);
      const [tracker, plugin] = await page.evaluate(() => [window.tracker.stats(), window.plugin.stats()]);
      expect(tracker.destinations.segment.duplicates + plugin.destinations.segment.duplicates).toBeGreaterThan(0);
    });
  }
});

describe('RudderStack loading snippets', () => {
  for (const version of ['3.0.0', '3.2.0']) {
    for (const config of ['getSourceConfig', 'configUrl']) {
      for (const when of ['before', 'after']) {
        it(`${version} with ${config}: trackKustomerChat(window.rudderanalytics), chat ${when} the SDK arrives: each event once`, async () => {
          const snippet = await rudderStackSnippet(version, collector, { configUrl: config === 'configUrl' });
          const release = await openSnippetPage(snippet, RUDDERSTACK_SDK_FILE);
          await page.evaluate(() => {
            window.tracker = window.lib.trackKustomerChat(window.rudderanalytics);
          });
          if (when === 'before') {
            await chat();
            await expectHeld('tracker', 'rudderstack');
          }
          release();
          await rudderStackReady();
          if (when === 'after') await chat();
          await received(RUDDERSTACK, SPEC_NAMES.length);
          await expectExactlyOnce(RUDDERSTACK, ['tracker'], 'rudderstack');
          const configFetched = page.requestUrls.some((u) => u.includes('/rudder-config/sourceConfig'));
          expect(configFetched).toBe(config === 'configUrl');
        });
      }
    }
  }
});
