/**
 * The `consent` option with the two consent sources sites actually have, each through a small adapter written
 * here as an example for the docs:
 *  - Google consent mode: the state `gtag('consent', 'default' | 'update', { analytics_storage })` queues in
 *    the dataLayer;
 *  - Segment's consent wrapper pattern: the `getCategories` / `registerOnConsentChanged` settings given to
 *    `createWrapper` (@segment/analytics-consent-tools), here backed by OneTrust as Segment's OneTrust wrapper is.
 * Events wait (or are dropped, when told to) until consent is granted; nothing held is lost or sent twice.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createChatTracker, type ConsentOptions, type Destination } from '../../core/tracker';
import type { ChatEvent } from '../../core/schema';
import { googleConsentMode, gtmDataLayer } from '../../plugins/gtm/index';
import { segmentDestination } from '../../plugins/segment/index';
import { startedChatPage, recordingDestination } from '../support/fake-page.js';
import { reliabilityReport } from '../support/reliability-report.js';

const report = reliabilityReport('consent');
afterAll(() => {
  report.note("Google consent mode: `googleConsentMode()` from `kustomer-chat-analytics/gtm`. `granted()` reads the last `['consent', 'default' | 'update', { analytics_storage }]` that `gtag()` queued in the dataLayer, reading only the entries added since it last looked; `subscribe()` wraps the dataLayer's `push` to call `update()` after each consent command, and its undo (run by `stop()`) puts the push back.");
  report.note("Segment consent wrapper adapter: the same `getCategories()` and `registerOnConsentChanged()` a site gives Segment's `createWrapper`, mapped to `granted()` (the category is `true`) and `subscribe()`.");
  return report.save();
});

type Win = Window & Record<string, unknown>;
const g = globalThis as unknown as { window?: unknown };
const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  delete g.window;
});

interface WrapperSettings {
  getCategories(): Record<string, boolean>;
  registerOnConsentChanged(setCategories: (categories: Record<string, boolean>) => void): void;
}

/** Example adapter: the settings of Segment's consent wrapper (`createWrapper`) as our consent option. */
function segmentConsentWrapper(settings: WrapperSettings, category: string, whileDenied?: 'hold' | 'drop'): ConsentOptions {
  return {
    granted: () => settings.getCategories()[category] === true,
    subscribe: (update) => settings.registerOnConsentChanged(() => update()),
    whileDenied,
  };
}

/** A OneTrust-like CMP: active groups in `OnetrustActiveGroups`, listeners through `OneTrust.OnConsentChanged`. */
function oneTrust(win: Win) {
  const listeners: Array<() => void> = [];
  win.OnetrustActiveGroups = ',C0001,';
  win.OneTrust = { OnConsentChanged: (callback: () => void) => listeners.push(callback) };
  const getCategories = () => {
    const active = String(win.OnetrustActiveGroups).split(',');
    return { Necessary: active.includes('C0001'), Analytics: active.includes('C0002') };
  };
  const settings: WrapperSettings = {
    getCategories,
    registerOnConsentChanged: (setCategories) => (win.OneTrust as { OnConsentChanged(cb: () => void): void }).OnConsentChanged(() => setCategories(getCategories())),
  };
  return {
    settings,
    choose(groups: string) {
      win.OnetrustActiveGroups = groups;
      listeners.forEach((listener) => listener());
    },
  };
}

const chatPage = async () => {
  const started = await startedChatPage();
  return { ...started, win: started.win as unknown as Win };
};

function track(win: Win, destinations: Destination[], consent: ConsentOptions, bufferSize?: number) {
  const debug: string[] = [];
  const tracker = createChatTracker({ window: win as unknown as Window, destinations, consent, bufferSize, debug: (message) => debug.push(message) }).start();
  stops.push(() => tracker.stop());
  return { tracker, debug };
}

const gtag = (win: Win) =>
  function (..._args: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    (win.dataLayer as unknown[]).push(arguments);
  };
const chatPushIndexes = (win: Win) => (win.dataLayer as Array<Record<string, unknown>>).flatMap((entry, i) => (entry && entry.event === 'Kustomer_Chat_Event' ? [i] : []));

function record(source: string, mode: string, whileDenied: number, held: number, dropped: number, beforeGrant: number, after: number, expectedAfter: number, debugDrops: number) {
  const lost = mode.startsWith('hold') ? Math.max(0, expectedAfter - after - dropped) : Math.max(0, expectedAfter - after);
  report.row({
    'consent source': source,
    whileDenied: mode,
    'events while denied': whileDenied,
    'held': held,
    'dropped (counted in stats and debug)': `${dropped} (${debugDrops} messages)`,
    'delivered before consent': beforeGrant,
    'delivered after consent': after,
    lost,
  });
  report.total('lost', lost);
  return lost;
}

describe('consent with Google consent mode (gtag consent default/update)', () => {
  it('holds every event until analytics_storage is granted, then delivers them in order after the consent update', async () => {
    const { win, k, chat } = await chatPage();
    win.dataLayer = [];
    const consentCommand = gtag(win);
    consentCommand('consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied' });
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [gtmDataLayer(), recorder], googleConsentMode());
    const denied = chat() + chat();
    const held = tracker.stats().heldForConsent;
    const beforeGrant = chatPushIndexes(win).length;
    consentCommand('consent', 'update', { analytics_storage: 'granted' });
    const grantIndex = (win.dataLayer as ArrayLike<unknown>[]).findIndex((entry) => entry[0] === 'consent' && entry[1] === 'update');
    const after = chat();
    const pushes = chatPushIndexes(win);
    const lost = record('Google consent mode', 'hold', denied, held, tracker.stats().droppedForConsent, beforeGrant, pushes.length, denied + after, debug.filter((m) => m.includes('no consent')).length);
    expect(held).toBe(denied);
    expect(beforeGrant).toBe(0);
    expect(recorder.events).toHaveLength(denied + after);
    // GTM processes the chat events after the consent update, as consent mode requires.
    expect(grantIndex).toBeGreaterThan(0);
    expect(pushes.every((index) => index > grantIndex)).toBe(true);
    expect((win.dataLayer as Array<Record<string, unknown>>).filter((e) => e.event === 'Kustomer_Chat_Event').map((e) => e.eventId)).toEqual(recorder.events.map((e: ChatEvent) => e.id));
    expect(tracker.stats().heldForConsent).toBe(0);
    expect(k.state.listenerErrors).toEqual([]);
    expect(lost).toBe(0);
  });

  it('drops and counts events while denied when whileDenied is drop, also after consent is withdrawn', async () => {
    const { win, chat } = await chatPage();
    win.dataLayer = [];
    const consentCommand = gtag(win);
    consentCommand('consent', 'default', { analytics_storage: 'denied' });
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [recorder], googleConsentMode({ whileDenied: 'drop' }));
    const denied = chat();
    consentCommand('consent', 'update', { analytics_storage: 'granted' });
    const granted = chat();
    consentCommand('consent', 'update', { analytics_storage: 'denied' });
    const withdrawn = chat();
    const dropped = tracker.stats().droppedForConsent;
    const debugDrops = debug.filter((m) => m.includes('no consent: event dropped')).length;
    const lost = record('Google consent mode', 'drop; then withdrawn', denied + withdrawn, tracker.stats().heldForConsent, dropped, 0, recorder.events.length, granted, debugDrops);
    expect(dropped).toBe(denied + withdrawn);
    expect(debugDrops).toBe(dropped);
    expect(recorder.events).toHaveLength(granted);
    expect(lost).toBe(0);
  });

  it('holds at most bufferSize events, counting each older one it drops', async () => {
    const { win, chat } = await chatPage();
    win.dataLayer = [];
    const consentCommand = gtag(win);
    consentCommand('consent', 'default', { analytics_storage: 'denied' });
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [recorder], googleConsentMode(), 5);
    const denied = chat() + chat();
    const { heldForConsent, droppedForConsent } = tracker.stats();
    const debugDrops = debug.filter((m) => m.includes('no consent and buffer full')).length;
    consentCommand('consent', 'update', { analytics_storage: 'granted' });
    const lost = record('Google consent mode', 'hold, buffer of 5', denied, heldForConsent, droppedForConsent, 0, recorder.events.length, denied, debugDrops);
    expect({ heldForConsent, droppedForConsent, debugDrops }).toEqual({ heldForConsent: 5, droppedForConsent: denied - 5, debugDrops: denied - 5 });
    expect(recorder.events).toHaveLength(5);
    expect(lost).toBe(0);
  });
});

describe("consent with Segment's consent wrapper pattern (OneTrust behind it)", () => {
  it('holds events for Segment until the Analytics category is granted, then sends each once', async () => {
    const { win, chat } = await chatPage();
    const cmp = oneTrust(win);
    const tracks: unknown[][] = [];
    const analytics = { track: (...args: unknown[]) => tracks.push(args), ready: (callback: () => void) => callback() };
    const { tracker, debug } = track(win, [segmentDestination(analytics)], segmentConsentWrapper(cmp.settings, 'Analytics'));
    const denied = chat();
    cmp.choose(',C0001,C0003,');
    const stillDenied = chat();
    const held = tracker.stats().heldForConsent;
    const beforeGrant = tracks.length;
    cmp.choose(',C0001,C0002,');
    const after = chat();
    const ids = tracks.map((call) => (call[2] as { messageId: string }).messageId);
    const lost = record('Segment consent wrapper (OneTrust)', 'hold', denied + stillDenied, held, tracker.stats().droppedForConsent, beforeGrant, tracks.length, denied + stillDenied + after, debug.filter((m) => m.includes('no consent')).length);
    expect(held).toBe(denied + stillDenied);
    expect(beforeGrant).toBe(0);
    expect(tracks).toHaveLength(denied + stillDenied + after);
    expect(new Set(ids).size).toBe(ids.length);
    expect(lost).toBe(0);
  });

  it('drops what happens before the Analytics category is granted when whileDenied is drop', async () => {
    const { win, chat } = await chatPage();
    const cmp = oneTrust(win);
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [recorder], segmentConsentWrapper(cmp.settings, 'Analytics', 'drop'));
    const denied = chat();
    cmp.choose(',C0001,C0002,');
    const after = chat();
    const debugDrops = debug.filter((m) => m.includes('no consent: event dropped')).length;
    const lost = record('Segment consent wrapper (OneTrust)', 'drop', denied, 0, tracker.stats().droppedForConsent, 0, recorder.events.length, after, debugDrops);
    expect(tracker.stats().droppedForConsent).toBe(denied);
    expect(debugDrops).toBe(denied);
    expect(recorder.events).toHaveLength(after);
    expect(lost).toBe(0);
  });
});
