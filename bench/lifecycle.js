/**
 * The drop-in before, at and after the widget's arrival: what it costs while the widget is absent, when
 * its listeners are attached, and how soon the first event reaches the dataLayer when the widget loads late.
 */
import { COPY_PASTE_LISTENER, ISOLATED } from './harness.js';

const DROP_IN = '<script src="/dist/kustomer-chat-gtm.min.js"></script>';

/** Counts every timer, frame/idle callback, observer and event listener the page asks for, and when. */
const INSTRUMENT = `<script>
  window.calls = [];
  const note = (what) => window.calls.push({ what, at: performance.now() });
  for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback']) {
    const original = window[name];
    window[name] = function () { note(name); return original.apply(this, arguments); };
  }
  const Observer = window.MutationObserver;
  window.MutationObserver = function (callback) { note('MutationObserver'); return new Observer(callback); };
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type) {
    note('addEventListener(' + type + ') on ' + (this === window ? 'window' : this === document ? 'document' : this.constructor.name));
    return add.apply(this, arguments);
  };
  addEventListener('load', () => { window.loadedAt = performance.now(); });
</script>`;

/**
 * The drop-in on a page where the widget never loads, against the same page without it, over `ms` after
 * window load: calls made while the scripts ran, calls made afterwards, and the page's script time.
 */
export async function idleCost(e2e, { ms = 2000 } = {}) {
  const pages = {
    'drop-in, no widget': await e2e.open(`<!doctype html>${INSTRUMENT}${DROP_IN}`, { headers: ISOLATED }),
    'empty page': await e2e.open(`<!doctype html>${INSTRUMENT}`, { headers: ISOLATED }),
  };
  const measured = await Promise.all(
    Object.entries(pages).map(async ([name, page]) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const script = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration').value;
      const before = await script();
      const start = await page.evaluate(() => performance.now());
      await page.waitForTimeout(ms);
      const after = await script();
      const calls = await page.evaluate(() => window.calls);
      // The instrumentation's own load listener is the page's, not the drop-in's.
      const own = (call) => call.what !== 'addEventListener(load) on window';
      return [
        name,
        {
          atLoad: calls.filter((call) => call.at < start && own(call)).map((call) => call.what),
          idle: calls.filter((call) => call.at >= start).map((call) => call.what),
          scriptMs: (after - before) * 1000,
          errors: page.pageErrors.length,
        },
      ];
    }),
  );
  const results = Object.fromEntries(measured);
  await Promise.all(Object.values(pages).map((page) => page.context().close()));
  return { ms, ...results };
}

/**
 * The widget loads after the drop-in (loader, `start` with the page's callback, then the SDK). How many
 * Kustomer listeners the drop-in has on the widget: right after the SDK object arrives, inside the page's
 * start callback, in a microtask queued by that callback (the same task, right after it), and 500 ms later.
 */
export async function attachTiming(e2e) {
  const page = await e2e.open(
    `<!doctype html>${DROP_IN}<script type="module">
      import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
      const k = installKustomerStandIn(window);
      const seen = (window.seen = {});
      k.loadWidgetLoader();
      window.Kustomer.start({ brandId: 'bench' }, function pageStartCallback() {
        seen.inStartCallback = k.widgetListenerCount();
        queueMicrotask(() => { seen.sameTaskAfterCallback = k.widgetListenerCount(); });
      });
      seen.beforeSdk = k.widgetListenerCount();
      k.deliverWidgetSdk();
      seen.onSdkArrival = k.widgetListenerCount();
      await k.initialized();
      setTimeout(() => { seen.settled = k.widgetListenerCount(); window.done = true; }, 500);
    </script>`,
    { headers: ISOLATED },
  );
  await page.waitForFunction(() => window.done === true);
  const seen = await page.evaluate(() => window.seen);
  await page.context().close();
  return seen;
}

/**
 * The drop-in is on the page from the start; the widget's loader and SDK arrive `delayMs` later. The page's
 * start callback opens the chat at once; timed: from the start of that callback to the drop-in's dataLayer
 * push, through a recording `dataLayer.push` (as GTM installs its own). The copy-paste listener (with
 * `addListener`) runs on the same page for comparison: it looks for the widget only at window load.
 * `runs` pages wait at the same time, their widgets arriving 300 ms apart so that no two overlap.
 */
export async function timeToFirstEvent(e2e, { delayMs = 10_000, runs = 3 } = {}) {
  const pages = await Promise.all(Array.from({ length: runs }, (_, i) => e2e.open(firstEventPage(delayMs + 300 * i), { headers: ISOLATED })));
  const results = await Promise.all(
    pages.map(async (page) => {
      await page.waitForFunction(() => window.startCallbackAt !== undefined, null, { timeout: delayMs + 300 * runs + 10_000 });
      await page.waitForTimeout(200);
      const result = await page.evaluate(() => ({
        widgetArrivedAt: window.widgetArrivedAt,
        startCallbackAt: window.startCallbackAt,
        dropInPushAt: window.firstPush.dropIn,
        listenerPushes: window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event' && !('eventId' in entry)).length,
      }));
      await page.context().close();
      return { ...result, callbackToPushMs: result.dropInPushAt - result.startCallbackAt, arrivalToCallbackMs: result.startCallbackAt - result.widgetArrivedAt };
    }),
  );
  return { delayMs, runs: results };
}

function firstEventPage(delayMs) {
  return `<!doctype html><script>
      window.firstPush = {};
      window.dataLayer = [];
      const push = Array.prototype.push;
      window.dataLayer.push = function (entry) {
        const who = entry && 'eventId' in entry ? 'dropIn' : 'listener';
        if (entry && entry.event === 'Kustomer_Chat_Event' && !(who in window.firstPush)) window.firstPush[who] = performance.now();
        return push.apply(this, arguments);
      };
    </script>${DROP_IN}
    <script>
      // The copy-paste listener's own loading: once, at window load.
      window.addEventListener('load', function () {
        if (typeof window.Kustomer === 'undefined' || typeof window.KustomerCore === 'undefined') return;
        ${COPY_PASTE_LISTENER}
      });
    </script>
    <script type="module">
      import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
      const k = (window.kustomer = installKustomerStandIn(window));
      setTimeout(() => {
        window.widgetArrivedAt = performance.now();
        k.loadWidgetLoader();
        window.Kustomer.start({ brandId: 'bench' }, function pageStartCallback() {
          window.startCallbackAt = performance.now();
          k.open();
        });
        k.deliverWidgetSdk();
      }, ${delayMs});
    </script>`;
}
