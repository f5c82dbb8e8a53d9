// The Segment plugin and the RudderStack adapter against the REAL SDKs (analytics-next, RudderStack v3) in
// real Chromium: the built ESM files from dist/, the Kustomer stand-in, and a local collector as the only
// network peer. Assertions are on the HTTP bodies the SDKs send.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { RUDDER_WRITE_KEY, rudderLoadOptionsSource, rudderLoadSnippet, segmentLoadSnippet, segmentSettingsSource } from '../../support/sdk-setup.js';
import { chatPushes, loadBothAndChat, repoRoot, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';

const SEGMENT = '/v1/t';
const RUDDERSTACK = '/v1/track';
const CONVERSATION_ID = 'conv_abc123';
// The built code reports package.json's version (core/version.ts).
const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const INTEGRATION = { name: 'kustomer-chat-analytics', version };

/** The stand-in's whole conversation (8 events), as Live Chat spec events (message ids are the stand-in's, per page). */
const SPEC_EVENTS = [
  ['Live Chat Opened', { availability: 'online' }],
  ['Live Chat Conversation Started', { conversation_id: CONVERSATION_ID }],
  ['Live Chat Message Sent', { conversation_id: CONVERSATION_ID, message_id: 'm1' }],
  ['Live Chat Message Received', { conversation_id: CONVERSATION_ID, message_id: 'm2' }],
  ['Live Chat Satisfaction Requested', { conversation_id: CONVERSATION_ID, satisfaction_id: `s_${CONVERSATION_ID}`, rating_scale: 5 }],
  ['Live Chat Satisfaction Submitted', { conversation_id: CONVERSATION_ID, satisfaction_id: `s_${CONVERSATION_ID}`, rating: 5, rating_scale: 5 }],
  ['Live Chat Conversation Ended', { conversation_id: CONVERSATION_ID }],
  ['Live Chat Closed', {}],
];
const SPEC_NAMES = SPEC_EVENTS.map(([name]) => name);

/** The same conversation in the copy-paste GTM listener's layout. */
const DATA_LAYER = [
  ['chat opened', undefined, undefined],
  ['conversation started', CONVERSATION_ID, undefined],
  ['message sent', CONVERSATION_ID, undefined],
  ['message received', CONVERSATION_ID, undefined],
  ['satisfaction requested', CONVERSATION_ID, undefined],
  ['satisfaction submitted', CONVERSATION_ID, 5],
  ['conversation ended', CONVERSATION_ID, undefined],
  ['chat closed', undefined, undefined],
].map(([chat_Action, conversationId, satisfactionScore]) => ({
  event: 'Kustomer_Chat_Event',
  chat_Action,
  conversationId,
  satisfactionScore,
  chatAvailability: chat_Action === 'chat opened' ? 'online' : undefined,
}));

/** What the stand-in's payloads carry and must never leave the page. */
const PERSONAL = ['carol@example.com', 'Carol Customer', 'Hello Carol', 'Alice Agent', 'Alice was great', '+1 555 0100', 'invoice.pdf', 'example.test', 'How did we do', 'eyJ'];

// RudderStack v3's loading snippet, trimmed to its method queue: calls are queued on the array until the SDK
// replaces it, then forwarded (rudderlabs/rudder-sdk-js, packages/analytics-js/__tests__/nativeSdkLoader.js).
const RUDDER_SNIPPET_QUEUE = `(() => {
  const ra = (window.rudderanalytics = []);
  for (const method of ['setDefaultInstanceKey', 'load', 'ready', 'page', 'track', 'identify']) {
    ra[method] = function () {
      if (Array.isArray(window.rudderanalytics)) ra.push([method, ...arguments]);
      else window.rudderanalytics[method]?.apply(window.rudderanalytics, arguments);
    };
  }
})();`;

let e2e;
let collector;
let sdkBundleUrl;
let page;

beforeAll(async () => {
  const [{ file }, started] = await Promise.all([buildSdkBundles(), startE2e()]);
  e2e = started;
  collector = e2e.collector;
  sdkBundleUrl = '/' + path.relative(repoRoot, file).split(path.sep).join('/');
});
afterAll(() => e2e?.close());
beforeEach(() => collector.reset());
// Closing the context cancels whatever a page still had in flight, so nothing leaks into the next test.
afterEach(() => page?.context().close());

/** A page with the SDK bundle, the stand-in, and the built library on `window.lib`; `setup` runs first. */
async function openChatPage(setup = '') {
  page = await e2e.open(`<!doctype html><meta charset="utf-8">
<script src="${sdkBundleUrl}"></script>
${standInScript}
<script type="module">
  import { createChatTracker } from '/dist/index.js';
  import { gtmDataLayer } from '/dist/gtm.js';
  import { kustomerChatPlugin, segmentDestination } from '/dist/segment.js';
  import { rudderstackDestination, trackKustomerChat } from '/dist/rudderstack.js';
  window.lib = { createChatTracker, gtmDataLayer, kustomerChatPlugin, segmentDestination, rudderstackDestination, trackKustomerChat };
</script>`);
  await standInReady(page);
  await page.waitForFunction(() => Boolean(window.lib));
  if (setup) await page.evaluate(setup);
  return page;
}

/** Event bodies POSTed to exactly `path` ('/v1/t' is a prefix of '/v1/track'). */
const bodies = (path) => collector.requests.filter((r) => r.path === path).map((r) => r.body);
const names = (path) => bodies(path).map((b) => b.event);

/** Waits for `count` events at each path, then a little longer so that an extra one would show up. */
async function received(count, paths = [SEGMENT, RUDDERSTACK], timeoutMs = 10_000) {
  await collector.waitFor(() => paths.every((p) => bodies(p).length >= count), timeoutMs);
  await new Promise((r) => setTimeout(r, 300));
}

const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));
const stats = (name = 'tracker') => page.evaluate((n) => window[n].stats(), name);

/** One body per spec event, whatever order the requests arrived in (each SDK sends in parallel). */
function expectConversation(path) {
  const sent = bodies(path);
  expect(sent.map((b) => b.event).sort()).toEqual([...SPEC_NAMES].sort());
  return SPEC_EVENTS.map(([name, properties]) => {
    const body = sent.find((b) => b.event === name);
    expect(body.type).toBe('track');
    expect(body.properties, name).toEqual({ platform: 'kustomer', event_id: expect.stringMatching(/^[ku][0-9a-z]+$/), ...properties });
    return body;
  });
}

/** No page errors, no exception into Kustomer's callbacks, no request off the machine, no personal data sent. */
async function expectClean() {
  expect(page.pageErrors).toEqual([]);
  expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
  expect(page.requestUrls.filter((u) => new URL(u).hostname !== '127.0.0.1')).toEqual([]);
  const sent = JSON.stringify(collector.requests.map((r) => r.body));
  for (const personal of PERSONAL) expect(sent).not.toContain(personal);
}

describe('one tracker, three destinations', () => {
  it('delivers the whole conversation once to Segment, RudderStack and the dataLayer, with one event id each', async () => {
    await openChatPage(`${segmentLoadSnippet(collector.url)}\n${rudderLoadSnippet(collector.url)}
      const { createChatTracker, gtmDataLayer, segmentDestination, rudderstackDestination } = window.lib;
      window.tracker = createChatTracker({
        destinations: [gtmDataLayer(), segmentDestination(window.analytics), rudderstackDestination(window.rudderanalytics)],
      }).start();`);
    await loadBothAndChat(page, CONVERSATION_ID);
    await received(SPEC_EVENTS.length);

    const segment = expectConversation(SEGMENT);
    const rudder = expectConversation(RUDDERSTACK);
    const pushes = await chatPushes(page);
    expect(pushes.map(({ eventId, ...layout }) => layout)).toEqual(DATA_LAYER);
    SPEC_EVENTS.forEach(([name], i) => {
      const id = pushes[i].eventId;
      // Segment de-duplicates on messageId; RudderStack makes its own, so the id also travels as event_id.
      expect(segment[i], name).toMatchObject({ messageId: id, properties: { event_id: id }, context: { integration: INTEGRATION } });
      expect(rudder[i], name).toMatchObject({ properties: { event_id: id }, context: { integration: INTEGRATION } });
    });
    expect(new Set(pushes.map((p) => p.eventId)).size).toBe(SPEC_EVENTS.length);
    // Nothing else was sent: no page call, no identify, no metrics.
    expect(collector.requests.map((r) => r.path).sort()).toEqual([...Array(8).fill(SEGMENT), ...Array(8).fill(RUDDERSTACK)]);
    expect((await stats()).destinations).toMatchObject({
      gtm: { delivered: 8, failed: 0, buffered: 0 },
      segment: { delivered: 8, failed: 0, buffered: 0 },
      rudderstack: { delivered: 8, failed: 0, buffered: 0 },
    });
    await expectClean();
  });
});

describe('kustomerChatPlugin()', () => {
  it('delivers the conversation when given to AnalyticsBrowser.load, and stops when deregistered', async () => {
    await openChatPage(`window.plugin = window.lib.kustomerChatPlugin();
      ${segmentLoadSnippet(collector.url, { plugins: '[window.plugin]' })}`);
    // Segment awaits every plugin's load before it is ready: it is ready although Kustomer has not loaded yet.
    expect(await page.evaluate(() => window.analytics.then(() => window.plugin.isLoaded()))).toBe(true);
    await loadBothAndChat(page, CONVERSATION_ID);
    await received(SPEC_EVENTS.length, [SEGMENT]);
    for (const body of expectConversation(SEGMENT)) {
      expect(body).toMatchObject({ messageId: body.properties.event_id, context: { integration: INTEGRATION } });
    }

    await page.evaluate(() => window.analytics.deregister(window.plugin.name));
    // unload stopped the tracker: the page's Kustomer listeners are gone and further chat sends nothing.
    expect(await page.evaluate(() => window.kustomer.widgetListenerCount() + window.kustomer.coreListenerCount())).toBe(0);
    await page.evaluate(() => {
      window.kustomer.open();
      window.kustomer.agentReplies('conv_abc123');
    });
    await settle();
    expect(names(SEGMENT)).toHaveLength(SPEC_EVENTS.length);

    // analytics.register() is the other way in.
    await page.evaluate(() => window.analytics.register(window.lib.kustomerChatPlugin()));
    await page.evaluate(() => window.kustomer.close());
    await received(SPEC_EVENTS.length + 1, [SEGMENT]);
    expect(names(SEGMENT).filter((n) => n === 'Live Chat Closed')).toHaveLength(2);
    expect(bodies(RUDDERSTACK)).toEqual([]);
    await expectClean();
  });
});

describe('de-duplication', () => {
  it('sends one event per Kustomer event, however often it reaches the page and however many trackers listen', async () => {
    await openChatPage(`window.plugin = window.lib.kustomerChatPlugin();
      ${segmentLoadSnippet(collector.url, { plugins: '[window.plugin]' })}
      ${rudderLoadSnippet(collector.url)}`);
    await page.evaluate(async () => {
      await window.analytics;
      const { createChatTracker, segmentDestination, rudderstackDestination } = window.lib;
      const both = () => [segmentDestination(window.analytics), rudderstackDestination(window.rudderanalytics)];
      window.tracker = createChatTracker({ destinations: both() }).start();
      window.tracker2 = createChatTracker({ destinations: both() }).start();
      const k = window.kustomer;
      await k.loadStartedWidgetAndCore();
      const id = 'conv_abc123';
      // Widget and core both report the new conversation; each core payload below arrives twice.
      k.open();
      k.startConversation(id);
      const sent = k.visitorSends(id);
      k.fireCore('onMessageSent', sent);
      const reply = k.agentReplies(id);
      k.fireCore('onMessageReceived', reply);
      k.rate(id, 5);
      k.rate(id, 5);
      k.endConversation(id);
      k.endConversation(id);
      k.close();
    });
    await received(SPEC_EVENTS.length);
    const segment = expectConversation(SEGMENT);
    const rudder = expectConversation(RUDDERSTACK);
    expect(segment.map((b) => b.messageId)).toEqual(rudder.map((b) => b.properties.event_id));

    // The plugin's tracker listened first and sent to Segment; the first tracker sent to RudderStack.
    const [first, second] = [await stats('tracker'), await stats('tracker2')];
    expect(first.destinations.segment).toMatchObject({ delivered: 0, duplicates: 8 });
    expect(first.destinations.rudderstack).toMatchObject({ delivered: 8, duplicates: 0 });
    expect(second.destinations.segment).toMatchObject({ delivered: 0, duplicates: 8 });
    expect(second.destinations.rudderstack).toMatchObject({ delivered: 0, duplicates: 8 });
    await expectClean();
  });
});

describe('before the SDKs load', () => {
  it('keeps the events and delivers them once the npm SDK instances load', async () => {
    await openChatPage(`
      window.segment = new window.TestSDKs.AnalyticsBrowser();
      window.rudder = new window.TestSDKs.RudderAnalytics();
      const { createChatTracker, segmentDestination, rudderstackDestination } = window.lib;
      window.tracker = createChatTracker({ destinations: [segmentDestination(window.segment), rudderstackDestination(window.rudder)] }).start();`);
    await loadBothAndChat(page, CONVERSATION_ID);
    await settle(300);
    expect(collector.requests).toEqual([]);
    expect((await stats()).destinations).toMatchObject({ segment: { buffered: 8, delivered: 0 }, rudderstack: { buffered: 8, delivered: 0 } });

    await page.evaluate(`window.segment.load(${segmentSettingsSource(collector.url)}, { disableClientPersistence: true });
      window.rudder.load(${JSON.stringify(RUDDER_WRITE_KEY)}, ${JSON.stringify(collector.url)}, ${rudderLoadOptionsSource()});`);
    await received(SPEC_EVENTS.length);
    expectConversation(SEGMENT);
    expectConversation(RUDDERSTACK);
    expect((await stats()).destinations).toMatchObject({ segment: { buffered: 0, delivered: 8 }, rudderstack: { buffered: 0, delivered: 8 } });
    await expectClean();
  });

  it('keeps the events for RudderStack\'s snippet queue and delivers them once the SDK replaces it', async () => {
    await openChatPage(`${RUDDER_SNIPPET_QUEUE}
      window.tracker = window.lib.trackKustomerChat(window.rudderanalytics);`);
    await loadBothAndChat(page, CONVERSATION_ID);
    await settle(300);
    expect(collector.requests).toEqual([]);

    await page.evaluate(rudderLoadSnippet(collector.url));
    await received(SPEC_EVENTS.length, [RUDDERSTACK]);
    expectConversation(RUDDERSTACK);
    await expectClean();
  });

  // Readiness of an SDK absent at start is asked again at the next chat event or the tracker's next look
  // (followLiveSdk in plugins/shared/live-sdk.ts).
  const sdksAppearLater = async () => {
    await openChatPage(`const { createChatTracker, segmentDestination, rudderstackDestination } = window.lib;
      window.tracker = createChatTracker({ destinations: [segmentDestination(), rudderstackDestination()] }).start();`);
    await loadBothAndChat(page, CONVERSATION_ID);
    await page.evaluate(`${segmentLoadSnippet(collector.url)}\n${rudderLoadSnippet(collector.url)}`);
    await page.evaluate(() => Promise.all([window.analytics, window.rudderanalyticsReady]));
  };

  it('delivers what it kept for SDKs that appear on window later, at the next chat event', async () => {
    await sdksAppearLater();
    await page.evaluate(() => window.kustomer.open());
    await received(SPEC_EVENTS.length + 1);
    for (const path of [SEGMENT, RUDDERSTACK]) expect(names(path).sort()).toEqual([...SPEC_NAMES, 'Live Chat Opened'].sort());
    await expectClean();
  });

  // Known gap, reported: with no further chat event the kept events wait forever (lost when the page
  // unloads). This test turns red once the gap is fixed; then drop `.fails`.
  it('delivers what it kept for SDKs that appear on window later, with no further chat event', async () => {
    await sdksAppearLater();
    await received(SPEC_EVENTS.length, [SEGMENT, RUDDERSTACK], 2000);
  });
});

describe('isolation', () => {
  const loaders = { segment: segmentLoadSnippet, rudderstack: rudderLoadSnippet };
  for (const [absent, present] of [['rudderstack', 'segment'], ['segment', 'rudderstack']]) {
    it(`keeps delivering to the dataLayer and ${present} when one destination throws and ${absent} never loads`, async () => {
      await openChatPage(`${loaders[present](collector.url)}
        const { createChatTracker, gtmDataLayer, segmentDestination, rudderstackDestination } = window.lib;
        const broken = { name: 'broken', send() { throw new Error('broken destination'); } };
        // Every SDK is looked up on window at send time: the absent one never appears there.
        window.tracker = createChatTracker({ destinations: [broken, ${absent}Destination(), gtmDataLayer(), ${present}Destination()] }).start();`);
      await loadBothAndChat(page, CONVERSATION_ID);
      const path = present === 'segment' ? SEGMENT : RUDDERSTACK;
      await received(SPEC_EVENTS.length, [path]);
      expectConversation(path);
      expect((await chatPushes(page)).map(({ eventId, ...layout }) => layout)).toEqual(DATA_LAYER);
      expect(collector.requests.every((r) => r.path === path)).toBe(true);
      expect((await stats()).destinations).toMatchObject({
        broken: { delivered: 0, buffered: 0, dropped: 0, failed: 8, duplicates: 0 },
        [absent]: { delivered: 0, buffered: 8, dropped: 0, failed: 0, duplicates: 0 },
        gtm: { delivered: 8, buffered: 0, dropped: 0, failed: 0, duplicates: 0 },
        [present]: { delivered: 8, buffered: 0, dropped: 0, failed: 0, duplicates: 0 },
      });
      await expectClean();
    });
  }
});

describe('trackKustomerChat(window.rudderanalytics)', () => {
  it('delivers through the global instance and stops when the handle is stopped', async () => {
    await openChatPage(`${rudderLoadSnippet(collector.url)}
      window.tracker = window.lib.trackKustomerChat(window.rudderanalytics);`);
    await loadBothAndChat(page, CONVERSATION_ID);
    await received(SPEC_EVENTS.length, [RUDDERSTACK]);
    for (const body of expectConversation(RUDDERSTACK)) expect(body.context.integration).toEqual(INTEGRATION);

    await page.evaluate(() => {
      window.tracker.stop();
      window.kustomer.open();
      window.kustomer.agentReplies('conv_abc123');
      window.kustomer.close();
    });
    await settle();
    expect(bodies(RUDDERSTACK)).toHaveLength(SPEC_EVENTS.length);
    expect(await page.evaluate(() => window.kustomer.widgetListenerCount() + window.kustomer.coreListenerCount())).toBe(0);
    await expectClean();
  });
});
