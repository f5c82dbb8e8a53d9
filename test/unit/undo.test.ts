// Every hook that subscribes or wraps returns its undo, and stop() runs them all: after any number of start/stop
// cycles the page is as it was (Kustomer listeners, Kustomer's wrapped methods, the dataLayer's push, window
// properties), and one consent update releases each held event once.
import { afterEach, describe, expect, it } from 'vitest';
import { createChatTracker, type ChatTracker, type Destination } from '../../core/tracker';
import { ga4DataLayer, googleConsentMode, gtmDataLayer } from '../../plugins/gtm/index';
import { gtagDestination } from '../../plugins/gtag/index';
import { kustomerChatPlugin, segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { recordingDestination, startedChatPage } from '../support/fake-page.js';

type Win = Window & Record<string, unknown>;
const g = globalThis as unknown as { window?: unknown };
const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  delete g.window;
});

/** gtag's snippet: `gtag()` queues its `arguments` in the dataLayer (https://developers.google.com/tag-platform/gtagjs/install). */
const gtagOf = (win: Win) =>
  function (..._args: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    (win.dataLayer as unknown[]).push(arguments);
  };

/** A loaded SDK with `track` and `ready` (Segment's and RudderStack's shape), whose `ready` calls back when `load()`ed. */
function sdk() {
  const calls: unknown[][] = [];
  let waiting: Array<() => void> | undefined = [];
  return {
    calls,
    track: (...args: unknown[]) => void calls.push(args),
    ready: (callback: () => void) => void (waiting ? waiting.push(callback) : callback()),
    load() {
      waiting?.forEach((callback) => callback());
      waiting = undefined;
    },
  };
}

/** What this library may add to a page, read so that two snapshots compare equal when the page is as it was. */
function snapshot(win: Win, k: { widgetListenerCount(name?: string): number; coreListenerCount(name?: string): number }) {
  const core = win.KustomerCore as Record<string, unknown>;
  const dataLayer = win.dataLayer as unknown[];
  return {
    widgetListeners: k.widgetListenerCount(),
    coreListeners: k.coreListenerCount(),
    kustomerStart: (win.Kustomer as Record<string, unknown>).start,
    coreInit: core.init,
    submitSatisfactionForm: core.submitSatisfactionForm,
    kustomerDescriptor: Object.keys(Object.getOwnPropertyDescriptor(win, 'Kustomer')!),
    coreDescriptor: Object.keys(Object.getOwnPropertyDescriptor(win, 'KustomerCore')!),
    dataLayerPush: dataLayer.push,
    dataLayerOwnPush: Object.prototype.hasOwnProperty.call(dataLayer, 'push'),
    windowKeys: Object.getOwnPropertyNames(win).sort(),
  };
}

async function page() {
  const started = await startedChatPage();
  const win = started.win as unknown as Win;
  win.dataLayer = [];
  gtagOf(win)('consent', 'default', { analytics_storage: 'denied' });
  win.gtag = gtagOf(win);
  return { ...started, win };
}

describe('stop() undoes start()', () => {
  it('leaves the page as it was after 3 start/stop cycles with googleConsentMode and every destination', async () => {
    const { win, k, chat } = await page();
    const segment = sdk();
    const rudderstack = sdk();
    const destinations: Destination[] = [gtmDataLayer({ ga4: true }), ga4DataLayer({ dataLayerName: 'dataLayer' }), gtagDestination(), segmentDestination(segment), rudderstackDestination(rudderstack)];
    const tracker = createChatTracker({ window: win, destinations, consent: googleConsentMode(), sessionMemory: false });
    stops.push(() => tracker.stop());
    const before = snapshot(win, k);
    for (let cycle = 0; cycle < 3; cycle++) {
      tracker.start();
      // While started, the library is there: its listeners and its push wrapper.
      expect(k.coreListenerCount()).toBeGreaterThan(before.coreListeners);
      expect((win.dataLayer as unknown[]).push).not.toBe(before.dataLayerPush);
      tracker.stop();
      expect(snapshot(win, k)).toEqual(before);
    }

    // Started a fourth time: one consent update releases each held event once, to every destination.
    tracker.start();
    const events = chat();
    expect(tracker.stats().heldForConsent).toBe(events);
    segment.load();
    rudderstack.load();
    gtagOf(win)('consent', 'update', { analytics_storage: 'granted' });
    expect(tracker.stats().heldForConsent).toBe(0);
    expect(segment.calls).toHaveLength(events);
    expect(rudderstack.calls).toHaveLength(events);
    const chatPushes = (win.dataLayer as Array<Record<string, unknown>>).filter((entry) => entry.event === 'Kustomer_Chat_Event');
    expect(chatPushes).toHaveLength(events);
    for (const name of ['gtm', 'ga4-dataLayer', 'gtag', 'segment', 'rudderstack']) {
      expect(tracker.stats().destinations[name], name).toMatchObject({ delivered: events, failed: 0, buffered: 0 });
    }
    tracker.stop();
    expect(snapshot(win, k)).toEqual(before);
  });

  it('sends nothing after stop: a consent update and an SDK that becomes ready wait for the next start', async () => {
    const { win, k, chat } = await page();
    const segment = sdk();
    const tracker = createChatTracker({ window: win, destinations: [segmentDestination(segment)], consent: googleConsentMode(), sessionMemory: false }).start();
    stops.push(() => tracker.stop());
    const events = chat();
    tracker.stop();
    gtagOf(win)('consent', 'update', { analytics_storage: 'granted' });
    segment.load();
    expect(segment.calls).toHaveLength(0);
    expect(tracker.stats()).toMatchObject({ heldForConsent: events });
    tracker.start();
    k.open();
    expect(segment.calls).toHaveLength(events + 1);
    expect(tracker.stats().destinations.segment).toMatchObject({ delivered: events + 1, buffered: 0 });
  });

  it('leaves the page as it was after Segment unloads and loads kustomerChatPlugin 3 times', async () => {
    const { win, k, chat } = await page();
    const analytics = sdk();
    analytics.load();
    const plugin = kustomerChatPlugin({ consent: googleConsentMode(), sessionMemory: false });
    const before = snapshot(win, k);
    for (let cycle = 0; cycle < 3; cycle++) {
      await plugin.load({} as never, analytics as never);
      await plugin.unload!({} as never, analytics as never);
      expect(snapshot(win, k)).toEqual(before);
    }
    await plugin.load({} as never, analytics as never);
    stops.push(() => void plugin.unload!({} as never, analytics as never));
    const events = chat();
    gtagOf(win)('consent', 'update', { analytics_storage: 'granted' });
    expect(analytics.calls).toHaveLength(events);
    expect(new Set(analytics.calls.map((call) => (call[2] as { messageId: string }).messageId)).size).toBe(events);
  });

  it('accepts hooks written before they returned an undo, and calls each returned undo once', async () => {
    const { win } = await page();
    const undone: string[] = [];
    const legacy = { ...recordingDestination('legacy'), onReady: () => undefined };
    const modern: Destination = { name: 'modern', send() {}, onReady: () => () => void undone.push('onReady') };
    const trackers: ChatTracker[] = [
      createChatTracker({ window: win, destinations: [legacy, modern], consent: { granted: () => true, subscribe: () => () => void undone.push('subscribe') } }),
    ];
    for (let cycle = 0; cycle < 2; cycle++) {
      trackers[0].start().start();
      trackers[0].stop();
      trackers[0].stop();
    }
    expect(undone.sort()).toEqual(['onReady', 'onReady', 'subscribe', 'subscribe']);
    trackers[0].emit('chat_opened');
    expect(legacy.actions()).toEqual(['chat_opened']);
  });
});

describe('googleConsentMode()', () => {
  it('reads only the dataLayer entries added since it last looked', () => {
    const reads: number[] = [];
    const entries: unknown[] = Array.from({ length: 10_000 }, (_, i) => ({ event: `e${i}` }));
    const dataLayer = new Proxy(entries, {
      get(target, property, receiver) {
        if (typeof property === 'string' && /^\d+$/.test(property)) reads.push(Number(property));
        return Reflect.get(target, property, receiver);
      },
    });
    g.window = { dataLayer };
    const consent = googleConsentMode();
    expect(consent.granted()).toBe(false);
    expect(reads).toHaveLength(10_000);
    reads.length = 0;
    dataLayer.push(['consent', 'update', { analytics_storage: 'granted' }]);
    for (let i = 0; i < 100; i++) expect(consent.granted()).toBe(true);
    expect(reads).toEqual([10_000]);
    // A dataLayer replaced by another is read afresh.
    g.window = { dataLayer: [['consent', 'default', { analytics_storage: 'denied' }]] };
    expect(consent.granted()).toBe(false);
  });
});
