/**
 * Heap after a million events: the drop-in against the copy-paste listener. The dataLayer is emptied after
 * every chunk of events, so what stays is the library's own state, not the destination's buffer (a real
 * page without GTM keeps every push in window.dataLayer; with GTM, GTM keeps its own data model).
 */
import { COPY_PASTE_LISTENER, benchPage, openBenchPage } from './harness.js';

/** JS heap in use after a full garbage collection, through the DevTools protocol. */
async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

export async function heapGrowth(e2e, { events = 1_000_000, chunk = 10_000, warmup = 1_000 } = {}) {
  const pages = {
    'drop-in': benchPage({ head: '<script src="/dist/kustomer-chat-gtm.min.js"></script>' }),
    listener: benchPage({ setup: COPY_PASTE_LISTENER }),
  };
  const results = {};
  for (const [name, html] of Object.entries(pages)) {
    const page = await openBenchPage(e2e, html);
    const cdp = await page.context().newCDPSession(page);
    const start = await heapAfterGc(cdp);
    let delivered = await page.evaluate((n) => window.bench.runMany('widget', 1, n), warmup);
    const warm = await heapAfterGc(cdp);
    delivered += await page.evaluate(([chunks, n]) => window.bench.runMany('widget', chunks, n), [events / chunk, chunk]);
    const end = await heapAfterGc(cdp);
    if (delivered !== warmup + events) throw new Error(`${name}: ${delivered} pushes for ${warmup + events} events`);
    results[name] = { start, warm, end, growth: end - start, growthAfterWarmup: end - warm };
    await page.context().close();
  }
  return { events, chunk, warmup, ...results };
}
