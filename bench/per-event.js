/**
 * Per-event cost, Kustomer event -> dataLayer: the drop-in against the copy-paste listener, and the fan-out
 * of the library to 1, 2 and 3 destinations.
 */
import { dropInVariants } from './variants.js';
import { COPY_PASTE_LISTENER, benchPage, inPage, interleave, median, openBenchPage, pairedRatio } from './harness.js';

const DROP_IN = '<script src="/dist/kustomer-chat-gtm.min.js"></script>';
// The drop-in before issue 19's re-check design (bench/baseline/README.md), to show what it costs per event.
export const BASELINE = 'drop-in at a5ef958';
export const SECOND_PAGE = 'drop-in, second page';
const BASELINE_DROP_IN = '<script src="/bench/baseline/kustomer-chat-gtm-a5ef958.min.js"></script>';
const NO_OP = `
  for (const name of ['onOpen', 'onClose']) window.Kustomer.addListener(name, function () {});
  window.KustomerCore.addListener('onMessageSent', function () {});
`;

/**
 * Four pages on the same stand-in: the drop-in, the drop-in as it was before issue 19 (BASELINE), the copy-paste
 * listener, and a listener that does nothing (what the stand-in's own dispatch costs, to show each side's cost net
 * of it); beside them the drop-in's variants with parts of the per-message path taken out (bench/variants.js).
 */
export async function dataLayerCost(e2e, { n = 20_000, rounds = 10 } = {}) {
  const variants = await dropInVariants();
  const variantName = (i) => `variant ${i}`;
  const pages = {
    'drop-in': await openBenchPage(e2e, benchPage({ head: DROP_IN })),
    [BASELINE]: await openBenchPage(e2e, benchPage({ head: BASELINE_DROP_IN })),
    // The same drop-in on a second page: how much two pages of the same code differ (the noise of the above).
    [SECOND_PAGE]: await openBenchPage(e2e, benchPage({ head: DROP_IN })),
    listener: await openBenchPage(e2e, benchPage({ setup: COPY_PASTE_LISTENER })),
    'no-op listener': await openBenchPage(e2e, benchPage({ setup: NO_OP })),
  };
  for (const [i, { url }] of variants.entries())
    pages[variantName(i)] = await openBenchPage(e2e, benchPage({ head: `<script src="${url}"></script>` }));
  const results = { rounds, isolated: await pages['drop-in'].evaluate(() => crossOriginIsolated) };
  for (const kind of ['widget', 'core']) {
    const runners = Object.fromEntries(Object.entries(pages).map(([name, page]) => [name, inPage(page)]));
    const samples = await interleave(runners, { kind, n, rounds, perEvent: { 'no-op listener': 0 } });
    const drop = samples['drop-in'];
    const bare = samples.listener;
    const noop = samples['no-op listener'];
    results[kind] = {
      events: n * rounds,
      dropIn: median(drop),
      listener: median(bare),
      noop: median(noop),
      ratio: pairedRatio(drop, bare),
      baseline: median(samples[BASELINE]),
      againstBaseline: pairedRatio(drop, samples[BASELINE]),
      againstItself: pairedRatio(drop, samples[SECOND_PAGE]),
      // Where the time goes: each variant's cost, and what the part it leaves out cost (its neighbour minus it).
      parts: variants.map(({ label }, i) => ({
        label,
        cost: median(samples[variantName(i)]),
        ratio: pairedRatio(samples[variantName(i)], bare),
        saved: i ? median(samples[variantName(i - 1)]) - median(samples[variantName(i)]) : undefined,
      })),
    };
  }
  results.timestamp = median(await pages.listener.evaluate(timestampCost, n));
  results.conversationStart = await pages['drop-in'].evaluate(conversationStartPushes);
  results.listenerErrors = await Promise.all(Object.values(pages).map((page) => page.evaluate(() => window.bench.listenerErrors())));
  await Promise.all(Object.values(pages).map((page) => page.context().close()));
  return results;
}

/** The drop-in still reports a conversation start after the timed rounds: its pushes for one new conversation. */
function conversationStartPushes() {
  window.dataLayer = [];
  window.kustomer.fireWidget('onConversationCreate', { conversationId: 'conv_bench_start', createdAt: '2025-01-01T00:00:00.000Z' });
  return window.dataLayer.filter((entry) => entry.chat_Action === 'conversation started' && entry.conversationId === 'conv_bench_start').length;
}

/**
 * What `new Date().toISOString()` alone costs, per call (median of 10 runs of n): every ChatEvent carries an ISO
 * `timestamp` (issue 2), so no drop-in that builds the schema's event can cost less than this per event.
 */
function timestampCost(n) {
  const runs = [];
  let length = 0;
  for (let run = 0; run < 10; run++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) length += new Date().toISOString().length;
    runs.push(((performance.now() - start) * 1000) / n);
  }
  if (length !== 10 * n * 24) throw new Error('toISOString returned an unexpected length');
  return runs;
}

/**
 * One page, one tracker at a time: `use(names)` stops the current tracker and starts one with those
 * destinations. GTM's dataLayer, and the Segment and RudderStack destinations over sinks that cost nothing
 * (`track()` counts, `ready()` calls back), so each figure is the library's own work. One page rather than
 * one per set: separate renderer processes differ by 10-20% between themselves, more than what is compared.
 */
const FAN_OUT_SETUP = `
  const { createChatTracker } = await import('/dist/index.js');
  const { gtmDataLayer } = await import('/dist/gtm.js');
  const { segmentDestination } = await import('/dist/segment.js');
  const { rudderstackDestination } = await import('/dist/rudderstack.js');
  const sink = () => ({ calls: 0, track() { this.calls++; }, ready(callback) { callback(); } });
  window.sinks = { segment: sink(), rudderstack: sink() };
  const make = {
    gtm: () => gtmDataLayer(),
    segment: () => segmentDestination(window.sinks.segment),
    rudderstack: () => rudderstackDestination(window.sinks.rudderstack),
  };
  let tracker;
  window.use = (names) => {
    tracker?.stop();
    tracker = createChatTracker({ destinations: names.map((name) => make[name]()) }).start();
  };
`;
const FAN_OUT_DELIVERED = '(window.dataLayer ? window.dataLayer.length : 0) + window.sinks.segment.calls + window.sinks.rudderstack.calls';
const FAN_OUT_RESET = 'window.dataLayer = []; window.sinks.segment.calls = 0; window.sinks.rudderstack.calls = 0';

export const FAN_OUT_CONFIGS = {
  '0 (tracker alone)': [],
  '1: gtm': ['gtm'],
  '1: segment': ['segment'],
  '1: rudderstack': ['rudderstack'],
  '2: gtm + segment': ['gtm', 'segment'],
  '3: gtm + segment + rudderstack': ['gtm', 'segment', 'rudderstack'],
};

/**
 * The library's ESM build with 0 to 3 destinations, in interleaved rounds. Linear means each destination
 * adds its own constant cost: the 2- and 3-destination figures are compared with the tracker alone plus
 * the sum of each destination's increment (its single-destination cost minus the tracker alone).
 */
export async function fanOut(e2e, { n = 10_000, rounds = 12 } = {}) {
  const page = await openBenchPage(e2e, benchPage({ setup: FAN_OUT_SETUP, delivered: FAN_OUT_DELIVERED, resetSinks: FAN_OUT_RESET }));
  const runners = {};
  const perEvent = {};
  for (const [name, destinations] of Object.entries(FAN_OUT_CONFIGS)) {
    runners[name] = async (kind, count) => {
      await page.evaluate((names) => window.use(names), destinations);
      return inPage(page)(kind, count);
    };
    perEvent[name] = destinations.length;
  }
  const samples = await interleave(runners, { n, rounds, perEvent });
  await page.context().close();
  const cost = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  const base = cost['0 (tracker alone)'];
  const increment = {
    gtm: cost['1: gtm'] - base,
    segment: cost['1: segment'] - base,
    rudderstack: cost['1: rudderstack'] - base,
  };
  const predicted = {
    '2: gtm + segment': base + increment.gtm + increment.segment,
    '3: gtm + segment + rudderstack': base + increment.gtm + increment.segment + increment.rudderstack,
  };
  const sumOfSingles = cost['1: gtm'] + cost['1: segment'] + cost['1: rudderstack'];
  return { events: n * rounds, cost, increment, predicted, sumOfSingles };
}
