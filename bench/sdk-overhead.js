/**
 * What the Segment plugin and the RudderStack adapter add to the REAL SDKs' `track()`: Kustomer event ->
 * library -> `track`, against a bare Kustomer listener calling the same `track` with the same name,
 * properties and options. The SDKs deliver to the local collector as in the e2e tests (test/support/
 * sdk-setup.js). Both ways run on ONE page with ONE SDK instance, switched between rounds (separate pages
 * differ from each other by 10-20%, more than the 10% in question).
 */
import { buildSdkBundles } from '../support/sdk-bundles.js';
import { rudderLoadSnippet, segmentLoadSnippet } from '../support/sdk-setup.js';
import { benchPage, median, openBenchPage, pairedRatio } from './harness.js';

const SDKS = '<script src="/test/.cache/sdks/sdks.js"></script>';

/**
 * `window.use('library' | 'direct')`: either the library is on (`start()`, `stop()`), or a bare listener
 * makes the same `track` call (`track` is source text using `name` and `id`, its own id counter).
 */
const switcher = ({ start, stop, track }) => `
  const { INTEGRATION } = await import('/dist/index.js');
  let seq = 0;
  const send = (name) => () => { const id = 'd' + ++seq; ${track} };
  const direct = { onOpen: send('Live Chat Opened'), onClose: send('Live Chat Closed') };
  window.use = async (mode) => {
    for (const [event, fn] of Object.entries(direct)) window.Kustomer.removeListener(event, fn);
    if (mode === 'library') return ${start};
    await (${stop});
    for (const [event, fn] of Object.entries(direct)) window.Kustomer.addListener(event, fn);
  };
`;

/** The Analytics.js plugin, registered and deregistered at run time (its unload stops its tracker). */
const segmentPage = (collectorUrl) =>
  benchPage({
    head: SDKS,
    setup: `
      const { kustomerChatPlugin } = await import('/dist/segment.js');
      ${segmentLoadSnippet(collectorUrl)}
      const [analytics] = await window.analytics;
      const plugin = kustomerChatPlugin();
      let registered = false;
      ${switcher({
        start: 'registered ? undefined : analytics.register(plugin).then(() => { registered = true; })',
        stop: 'registered && analytics.deregister(plugin.name).then(() => { registered = false; })',
        track: "analytics.track(name, { platform: 'kustomer', event_id: id }, { messageId: id, timestamp: new Date().toISOString(), context: { integration: INTEGRATION } });",
      })}`,
    delivered: '0',
  });

const rudderstackPage = (collectorUrl) =>
  benchPage({
    head: SDKS,
    setup: `
      ${rudderLoadSnippet(collectorUrl)}
      await window.rudderanalyticsReady;
      const ra = window.rudderanalytics;
      const { trackKustomerChat } = await import('/dist/rudderstack.js');
      const tracker = trackKustomerChat(ra);
      ${switcher({
        start: 'tracker.start()',
        stop: 'tracker.stop()',
        track: "ra.track(name, { platform: 'kustomer', event_id: id }, { integration: INTEGRATION, originalTimestamp: new Date().toISOString() });",
      })}`,
    delivered: '0',
  });

/** Seconds of JavaScript the page's main thread has run so far (Chromium's own counter). */
async function scriptSeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ScriptDuration').value;
}

/**
 * Interleaved rounds of n events, library and direct alternating (rotating order, 2 untimed warm-up
 * rounds). Per round: the synchronous time of the Kustomer callbacks (performance.now() around the loop),
 * and the page's whole script time from the start of the round until the collector has all its events
 * and `settleMs` more (Chromium's ScriptDuration: the SDK's asynchronous queue and request work included,
 * idle time not). Every round starts with empty SDK queues.
 */
async function measure(e2e, html, { path, n, rounds, warmup = 2, settleMs = 100 }) {
  const { collector } = e2e;
  collector.reset();
  const page = await openBenchPage(e2e, html);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const modes = ['library', 'direct'];
  const sync = { library: [], direct: [] };
  const whole = { library: [], direct: [] };
  const delivered = () => collector.requests.filter((r) => r.path === path).length;
  let expected = 0;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const mode of round % 2 ? [...modes].reverse() : modes) {
      await page.evaluate((m) => window.use(m), mode);
      const before = await scriptSeconds(cdp);
      // In a task of the page's own: ScriptDuration does not count script run by DevTools' evaluate.
      const result = await page.evaluate((count) => window.bench.task('widget', count), n);
      expected += n;
      await collector.waitFor(() => delivered() >= expected, 60_000);
      // The SDK still handles the last responses after the collector has them: let that land in this round.
      await page.waitForTimeout(settleMs);
      const after = await scriptSeconds(cdp);
      // Exactly one track() per event, whichever way: nothing lost, nothing doubled.
      if (delivered() !== expected) throw new Error(`${mode}: ${delivered()} events at ${path}, expected ${expected}`);
      if (round < warmup) continue;
      sync[mode].push((result.ms * 1000) / n);
      whole[mode].push(((after - before) * 1e6) / n);
    }
  }
  const listenerErrors = await page.evaluate(() => window.bench.listenerErrors());
  const pageErrors = page.pageErrors.map(String);
  await page.context().close();
  if (listenerErrors || pageErrors.length) throw new Error(`errors on the SDK page: ${listenerErrors} listener errors; ${pageErrors.join('; ')}`);
  const summary = (samples) => ({ library: median(samples.library), direct: median(samples.direct), ratio: pairedRatio(samples.library, samples.direct) });
  return { events: n * rounds, rounds, delivered: expected, sync: summary(sync), whole: summary(whole) };
}

export async function sdkOverhead(e2e, { segment = { n: 200, rounds: 20 }, rudderstack = { n: 20, rounds: 15 } } = {}) {
  await buildSdkBundles();
  const url = e2e.collector.url;
  return {
    segment: await measure(e2e, segmentPage(url), { path: '/v1/t', ...segment }),
    rudderstack: await measure(e2e, rudderstackPage(url), { path: '/v1/track', ...rudderstack }),
  };
}
