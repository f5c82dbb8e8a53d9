/**
 * What every benchmark page shares: the Kustomer stand-in started on the page, a `window.bench` that fires
 * Kustomer events in a tight loop, and the runner that times pages side by side in interleaved rounds.
 */

/**
 * Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs. Every file the pages
 * load comes from the same origin, so nothing else changes.
 */
export const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/**
 * The copy-paste listener's code with the widget's real API (`addListener`; the listener's `Kustomer.on`
 * does not exist on the widget): one `dataLayer.push` of `{ event, chat_Action, conversationId }` per event.
 */
export const COPY_PASTE_LISTENER = `
  function kustPush(action, extra) {
    window.dataLayer = window.dataLayer || [];
    window.dataLayer.push(Object.assign({ 'event': 'Kustomer_Chat_Event', 'chat_Action': action }, extra || {}));
  }
  window.Kustomer.addListener('onOpen', function (data) { kustPush('chat opened', { conversationId: data && data.conversationId }); });
  window.Kustomer.addListener('onClose', function (data) { kustPush('chat closed', { conversationId: data && data.conversationId }); });
  window.KustomerCore.addListener('onMessageSent', function (data) { kustPush('message sent', { conversationId: data && data.conversationId }); });
`;

/**
 * A page whose module script installs the stand-in, starts the widget and the headless core, runs `setup`
 * (module code; `k` is the stand-in), and defines `window.bench`. `delivered()` counts what reached the
 * destinations; `resetSinks()` empties them (the dataLayer by default).
 */
export function benchPage({ head = '', setup = '', delivered = 'window.dataLayer ? window.dataLayer.length : 0', resetSinks = 'window.dataLayer = []' }) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${head}</head><body>
<script type="module">
import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
const k = (window.kustomer = installKustomerStandIn(window));
await k.loadStartedWidgetAndCore();
{
${setup}
}
const delivered = () => ${delivered};
const resetSinks = () => { ${resetSinks}; };
let seq = 0;
// Events no one de-duplicates: open and close alternate, every message has a new id.
const fire = {
  widget: (i) => k.fireWidget(i & 1 ? 'onClose' : 'onOpen'),
  core: () => k.fireCore('onMessageSent', { messageId: 'm' + ++seq, conversationId: 'conv_bench', createdAt: '2025-01-01T00:00:00.000Z' }),
};
window.bench = {
  /** Fires n events; returns the milliseconds they took and how many deliveries reached the sinks. */
  run(kind, n) {
    resetSinks();
    const send = fire[kind];
    const start = performance.now();
    for (let i = 0; i < n; i++) send(i);
    const ms = performance.now() - start;
    const count = delivered();
    resetSinks();
    return { ms, delivered: count };
  },
  /** run() in a task of the page's own, where Chromium's script-time counter sees it (CDP's evaluate is not counted). */
  task(kind, n) {
    return new Promise((resolve) => setTimeout(() => resolve(this.run(kind, n))));
  },
  /** chunks × n events, the sinks emptied after every chunk. */
  runMany(kind, chunks, n) {
    let count = 0;
    for (let c = 0; c < chunks; c++) count += this.run(kind, n).delivered;
    return count;
  },
  listenerErrors: () => k.state.listenerErrors.length,
};
window.benchReady = true;
</script></body></html>`;
}

export async function openBenchPage(e2e, html) {
  const page = await e2e.open(html, { headers: ISOLATED });
  try {
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 20_000 });
  } catch (error) {
    const problems = [...page.pageErrors.map(String), ...page.consoleMessages.filter((m) => m.type === 'error').map((m) => m.text)];
    throw new Error(`bench page never got ready: ${problems.join('; ') || error.message}`, { cause: error });
  }
  return page;
}

export const median = (values) => quantile(values, 0.5);

export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}

/** Runs `bench.run(kind, n)` in a page. */
export const inPage = (page) => (kind, n) => page.evaluate(([k, count]) => window.bench.run(k, count), [kind, n]);

/**
 * Times each runner (`(kind, n) => { ms, delivered }`, e.g. `inPage(page)`) in interleaved rounds: the order
 * rotates every round, so no runner always goes first; `warmup` rounds are not counted. Returns per runner
 * the µs/event of every round, and checks that every event was delivered `perEvent[name]` times (default 1).
 */
export async function interleave(runners, { kind = 'widget', n, rounds, warmup = 2, perEvent = {} } = {}) {
  const names = Object.keys(runners);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length])) {
      const result = await runners[name](kind, n);
      // A page that loses or duplicates events would look fast: count what arrived.
      const per = name in perEvent ? perEvent[name] : 1;
      if (result.delivered !== n * per) throw new Error(`${name}: ${result.delivered} deliveries for ${n} ${kind} events, expected ${n * per}`);
      if (round >= warmup) samples[name].push((result.ms * 1000) / n);
    }
  }
  return samples;
}

/** Median of the per-round ratios a/b (rounds are paired: same round, adjacent in time), with p25–p75. */
export function pairedRatio(a, b) {
  const ratios = a.map((value, i) => value / b[i]);
  return { median: median(ratios), p25: quantile(ratios, 0.25), p75: quantile(ratios, 0.75) };
}
