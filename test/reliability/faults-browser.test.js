/**
 * Faults in real Chromium with the REAL Segment (analytics-next) and RudderStack (v3) SDKs posting to the local
 * collector: SDKs that become ready late, one that never appears, a destination that throws, GTM taking over
 * the dataLayer, and a page whose console.debug throws under the drop-in's data-debug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScript, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { RUDDER_WRITE_KEY, rudderLoadOptionsSource, segmentLoadSnippet } from '../../support/sdk-setup.js';
import { reliabilityReport } from '../support/reliability-report.js';

const DELAY_MS = 1000;
const report = reliabilityReport('faults-browser');
let e2e;
beforeAll(async () => {
  await buildSdkBundles();
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
  report.note(`The 10 s of the node test are ${DELAY_MS} ms here: the mechanism is the same (the SDK's own \`ready\` callback flushes the buffer).`);
  await report.save();
});

/**
 * A page with the real SDK bundle, the stand-in, and `window.startTracker(names)` building a tracker from the
 * built ESM files with the named destinations.
 */
function sdkPage(head = '') {
  return `<!doctype html>
    <script src="/test/.cache/sdks/sdks.js"></script>
    ${head}
    ${standInScript}
    <script type="module">
      import { createChatTracker } from '/dist/index.js';
      import { segmentDestination } from '/dist/segment.js';
      import { rudderstackDestination } from '/dist/rudderstack.js';
      import { gtmDataLayer } from '/dist/gtm.js';
      window.debugMessages = [];
      window.startTracker = () => {
        window.tracker = createChatTracker({
          destinations: [
            segmentDestination(),
            rudderstackDestination(),
            gtmDataLayer(),
            { name: 'thrower', send() { throw new Error('thrower is down'); } },
            // looks for an SDK global that never appears
            segmentDestination(() => window.neverLoaded),
          ].map((destination, i) => (i === 4 ? { ...destination, name: 'never-loads' } : destination)),
          debug: (message) => window.debugMessages.push(message),
        }).start();
      };
      window.dispatchEvent(new Event('tracker-ready'));
    </script>`;
}

/** Widget and core started, then `conversations` whole conversations: 8 events each. */
async function chat(page, first, conversations) {
  await page.evaluate(
    async ({ first, conversations }) => {
      const k = window.kustomer;
      if (!k.widgetStarted) {
        await k.loadStartedWidget();
        k.loadCore();
        window.KustomerCore.init({});
        await k.initialized();
      }
      for (let i = 0; i < conversations; i++) k.fullConversationNow(`conv_${first + i}`);
    },
    { first, conversations },
  );
  return conversations * 8;
}

const rudderDelayed = (collectorUrl, delay = DELAY_MS) => `(() => {
  const ra = new window.TestSDKs.RudderAnalytics();
  window.rudderanalytics = ra;
  lateClock.then(() => setTimeout(() => ra.load(${JSON.stringify(RUDDER_WRITE_KEY)}, ${JSON.stringify(collectorUrl)}, ${rudderLoadOptionsSource()}), ${delay}));
})();`;

// The late SDKs' clock starts when the test says so (after its events), not at page load: on a busy machine page
// load alone can take longer than DELAY_MS.
const LATE_CLOCK = `<script>window.lateClock = new Promise((resolve) => (window.startLateClock = resolve));</script>`;

// Segment awaits the load() of every non-destination plugin before it is ready: a plugin that takes DELAY_MS to
// load is an SDK whose ready callback comes DELAY_MS late.
const SLOW_PLUGIN = `[{ name: 'slow load', type: 'enrichment', version: '1.0.0', isLoaded: () => window.segmentLoaded === true,
  load: () => new Promise((resolve) => lateClock.then(() => setTimeout(() => { window.segmentLoaded = true; resolve(); }, ${DELAY_MS}))) }]`;

/** Request bodies POSTed to exactly `path` (collector.events() matches a prefix: '/v1/t' would include '/v1/track'). */
const postedTo = (collector, path) => collector.requests.filter((request) => request.path === path).map((request) => request.body);

async function delivered(collector, fired) {
  await collector.waitFor(() => postedTo(collector, '/v1/t').length >= fired && postedTo(collector, '/v1/track').length >= fired, 10_000);
  // let any duplicate arrive too
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    segment: postedTo(collector, '/v1/t').map((event) => event.messageId),
    rudderstack: postedTo(collector, '/v1/track').map((event) => event.properties.event_id),
  };
}

describe('faults with the real SDKs in Chromium', () => {
  it(`gives SDKs that become ready ${DELAY_MS} ms late every event from before, exactly once, without a further event`, async () => {
    e2e.collector.reset();
    const page = await e2e.open(sdkPage(`${LATE_CLOCK}<script>${segmentLoadSnippet(e2e.collector.url, { plugins: SLOW_PLUGIN })}\n${rudderDelayed(e2e.collector.url)}</script>`));
    await standInReady(page);
    await page.evaluate(() => window.startTracker());
    const fired = await chat(page, 1, 2);
    const early = await page.evaluate(() => window.tracker.stats().destinations);
    await page.evaluate(() => window.startLateClock());
    const received = await delivered(e2e.collector, fired);
    const ids = await page.evaluate(() => window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event').map((entry) => entry.eventId));
    const stats = await page.evaluate(() => window.tracker.stats().destinations);
    const lost = ['segment', 'rudderstack'].reduce((n, name) => n + ids.filter((id) => !received[name].includes(id)).length, 0);
    const duplicates = received.segment.length + received.rudderstack.length - new Set(received.segment).size - new Set(received.rudderstack).size;
    report.row({
      fault: `Segment and RudderStack ready ${DELAY_MS} ms after the events; a destination that throws; one whose SDK never appears`,
      'events fired': fired,
      'buffered before ready (Segment / RudderStack)': `${early.segment.buffered} / ${early.rudderstack.buffered}`,
      'received: dataLayer / Segment collector / RudderStack collector': `${ids.length} / ${received.segment.length} / ${received.rudderstack.length}`,
      'failed, counted (thrower)': stats.thrower.failed,
      'SDK never appears: buffered / dropped': `${stats['never-loads'].buffered} / ${stats['never-loads'].dropped}`,
      duplicates,
      lost,
      'page errors': page.pageErrors.length,
    });
    report.total('faults', lost === 0 && duplicates === 0 ? 1 : 0);
    report.total('faultsTried', 1);
    report.total('lost', lost);
    report.total('escaped', page.pageErrors.length);
    expect(early.segment.buffered).toBe(fired);
    expect(early.rudderstack.buffered).toBe(fired);
    expect(ids).toHaveLength(fired);
    expect([...received.segment].sort()).toEqual([...ids].sort());
    expect([...received.rudderstack].sort()).toEqual([...ids].sort());
    expect(stats.thrower).toMatchObject({ failed: fired, delivered: 0 });
    expect(stats['never-loads']).toMatchObject({ buffered: fired, dropped: 0, delivered: 0 });
    expect(page.pageErrors).toEqual([]);
    expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
  });

  it(`gives SDKs whose globals appear ${DELAY_MS} ms late, without a snippet, every event from before without a further chat event`, async () => {
    e2e.collector.reset();
    const page = await e2e.open(sdkPage());
    await standInReady(page);
    await page.evaluate(() => window.startTracker());
    const fired = await chat(page, 1, 2);
    await page.waitForTimeout(DELAY_MS);
    const early = await page.evaluate(() => window.tracker.stats().destinations);
    await page.evaluate(`window.lateClock = Promise.resolve();\n${segmentLoadSnippet(e2e.collector.url)}\n${rudderDelayed(e2e.collector.url, 0)}`);
    const received = await delivered(e2e.collector, fired);
    const ids = await page.evaluate(() => window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event').map((entry) => entry.eventId));
    const lost = ['segment', 'rudderstack'].reduce((n, name) => n + ids.filter((id) => !received[name].includes(id)).length, 0);
    const duplicates = received.segment.length + received.rudderstack.length - new Set(received.segment).size - new Set(received.rudderstack).size;
    report.row({
      fault: `Segment and RudderStack globals set ${DELAY_MS} ms after the events (no snippet stub, no further chat event)`,
      'events fired': fired,
      'buffered before ready (Segment / RudderStack)': `${early.segment.buffered} / ${early.rudderstack.buffered}`,
      'received: dataLayer / Segment collector / RudderStack collector': `${ids.length} / ${received.segment.length} / ${received.rudderstack.length}`,
      duplicates,
      lost,
      'page errors': page.pageErrors.length,
      notes: "found by the tracker's own retry (0.25 s doubling to 30 s while events wait)",
    });
    report.total('faults', lost === 0 && duplicates === 0 ? 1 : 0);
    report.total('faultsTried', 1);
    report.total('lost', lost);
    report.total('escaped', page.pageErrors.length);
    expect(early.segment.buffered).toBe(fired);
    expect(early.rudderstack.buffered).toBe(fired);
    expect([...received.segment].sort()).toEqual([...ids].sort());
    expect([...received.rudderstack].sort()).toEqual([...ids].sort());
    expect(ids).toHaveLength(fired);
    expect(page.pageErrors).toEqual([]);
  });

  it('keeps the page error-free with data-debug when console.debug throws, the dataLayer breaks, and GTM takes it over', async () => {
    const page = await e2e.open(`<!doctype html>
      <script>console.debug = () => { throw new Error('console.debug throws'); };</script>
      <script src="/dist/kustomer-chat-gtm.full.min.js" data-debug></script>
      <script src="/dist/kustomer-chat-gtm.full.min.js" data-debug></script>
      ${standInScript}`);
    await standInReady(page);
    let fired = await chat(page, 1, 1);
    const result = await page.evaluate(() => {
      const k = window.kustomer;
      // broken: a string instead of an array
      const saved = window.dataLayer;
      window.dataLayer = 'broken';
      k.fullConversationNow('conv_broken');
      window.dataLayer = saved;
      // GTM loads: replaces push with a wrapper that processes each entry, as gtm.js does
      const processed = [];
      const push = window.dataLayer.push;
      window.dataLayer.push = function (...entries) {
        entries.forEach((entry) => processed.push(entry.eventId));
        return push.apply(window.dataLayer, entries);
      };
      k.fullConversationNow('conv_after_gtm');
      const stats = window.KustomerChatAnalytics.stats().destinations.gtm;
      return { processed: processed.length, stats, listenerErrors: k.state.listenerErrors.length, pushes: window.dataLayer.filter((e) => e.event === 'Kustomer_Chat_Event').length };
    });
    fired += 16;
    const lost = fired - result.stats.delivered - result.stats.failed;
    report.row({
      fault: "the drop-in included twice with data-debug, console.debug throws, window.dataLayer = 'broken' for a conversation, then GTM's push wrapper",
      'events fired': fired,
      'received: dataLayer / Segment collector / RudderStack collector': `${result.pushes} / – / –`,
      'failed, counted (thrower)': `${result.stats.failed} (gtm, while broken)`,
      duplicates: result.pushes - result.stats.delivered,
      lost,
      'page errors': page.pageErrors.length,
      notes: `GTM's wrapper processed ${result.processed} pushes`,
    });
    report.total('faults', lost === 0 && result.pushes === result.stats.delivered ? 1 : 0);
    report.total('faultsTried', 1);
    report.total('lost', lost);
    report.total('escaped', page.pageErrors.length + result.listenerErrors);
    expect(page.pageErrors).toEqual([]);
    expect(result.listenerErrors).toBe(0);
    expect(result.stats).toMatchObject({ delivered: 16, failed: 8 });
    expect(result.pushes).toBe(16);
    expect(result.processed).toBe(8);
    expect(lost).toBe(0);
    // the drop-in's own script, added again at run time, also does nothing new
    await addScript(page, '/dist/kustomer-chat-gtm.full.min.js');
    expect(page.pageErrors).toEqual([]);
  });
});
