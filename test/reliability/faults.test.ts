/**
 * Faults around the tracker, in node with a jsdom window: broken, missing and late destinations, a dataLayer
 * taken over by GTM or broken, Kustomer calling back twice, restarts, the widget loaded twice. In each, the
 * healthy destinations must get every event exactly once, and whatever the faulty one misses must be counted
 * in stats() and said in a debug message. Every scenario records a row of docs/reliability.md.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker, type ChatTracker, type Destination } from '../../core/tracker';
import type { ChatEvent } from '../../core/schema';
import { gtmDataLayer } from '../../plugins/gtm/index';
import { segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { startedChatPage, fakePage, recordingDestination } from '../support/fake-page.js';
import { reliabilityReport } from '../support/reliability-report.js';

const report = reliabilityReport('faults');
afterAll(() => report.save());

type Win = Window & Record<string, unknown>;
const g = globalThis as unknown as { window?: unknown };

const stops: Array<() => void> = [];
beforeEach(() => {
  stops.length = 0;
});
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  vi.useRealTimers();
  delete g.window;
});

const chatPage = async () => {
  const started = await startedChatPage();
  return { ...started, win: started.win as unknown as Win };
};

function track(win: Win, destinations: Destination[], options: Record<string, unknown> = {}) {
  const debug: string[] = [];
  const tracker = createChatTracker({ window: win as unknown as Window, destinations, debug: (message) => debug.push(message), ...options }).start();
  stops.push(() => tracker.stop());
  return { tracker, debug };
}

/** The flush function the tracker handed the recording destination's onReady. */
const flushOf = (destination: { flush?: unknown }) => destination.flush as () => void;
const ids = (events: ChatEvent[]) => events.map((event) => event.id);
const unique = (values: unknown[]) => new Set(values).size === values.length;
const chatPushes = (layer: unknown) => (Array.isArray(layer) ? layer : []).filter((entry) => entry && entry.event === 'Kustomer_Chat_Event');

/**
 * One row of the faults table. `healthy` lists what each healthy destination received; the faulty one's events
 * must all be delivered, still buffered, or counted as failed or dropped: anything else is lost.
 */
function record(fault: string, fired: number, healthy: number[], tracker: ChatTracker, faulty: string | undefined, debugMessages: number, extra = '') {
  const stats = faulty ? tracker.stats().destinations[faulty] : undefined;
  const accounted = stats ? stats.delivered + stats.buffered + stats.failed + stats.dropped : fired;
  const lost = healthy.reduce((n, received) => n + Math.max(0, fired - received), 0) + Math.max(0, fired - accounted);
  const duplicates = healthy.reduce((n, received) => n + Math.max(0, received - fired), 0);
  report.row({
    fault,
    'events fired': fired,
    'each healthy destination received': healthy.join(' / '),
    'duplicates': duplicates,
    'faulty one: delivered / buffered / failed / dropped': stats ? `${stats.delivered} / ${stats.buffered} / ${stats.failed} / ${stats.dropped}` : '–',
    'debug messages': debugMessages,
    lost,
    notes: extra,
  });
  report.total('faults', lost === 0 && duplicates === 0 ? 1 : 0);
  report.total('faultsTried', 1);
  report.total('lost', lost);
  return { lost, duplicates };
}

/** A Segment- or RudderStack-style snippet: a stub that queues calls until the SDK replaces it and replays them. */
function snippet(win: Win, globalName: string, calls: unknown[][]) {
  const queue: unknown[][] = [];
  win[globalName] = {
    ready: (...args: unknown[]) => queue.push(['ready', ...args]),
    track: (...args: unknown[]) => queue.push(['track', ...args]),
  };
  return function load() {
    const sdk: Record<string, (...args: unknown[]) => void> = {
      ready: (callback) => (callback as () => void)(),
      track: (...args) => calls.push(args),
    };
    win[globalName] = sdk;
    for (const [method, ...args] of queue) sdk[method as string](...args);
  };
}

describe('faults', () => {
  afterAll(() => {
    report.note('"Lost" counts, for each healthy destination, the events it did not get, and, for the faulty one, events neither delivered, still buffered, nor counted as failed or dropped in `stats()`.');
    report.note('Late loading uses fake timers for the 10 s (only the global `setTimeout`; the Kustomer stand-in keeps its real jsdom timers), with snippet stubs that queue `ready()` and `track()` like the Segment and RudderStack snippets, replayed when the SDK replaces the stub.');
    report.note("The stand-in's second widget SDK shares its listener set with the first, so \"the widget loaded twice\" shows no listener is added twice, not that listeners left on a discarded SDK object are removed.");
  });

  it('keeps delivering every event to the others when a destination throws on every event', async () => {
    const { win, k, chat } = await chatPage();
    const thrower = recordingDestination('thrower', { fail: true });
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [thrower, recorder, gtmDataLayer()]);
    const fired = chat(3);
    const pushes = chatPushes(win.dataLayer);
    const failures = debug.filter((m) => m.includes('thrower: send failed')).length;
    const { lost } = record('a destination throws on every event', fired, [recorder.events.length, pushes.length], tracker, 'thrower', failures);
    expect(k.state.listenerErrors).toEqual([]);
    expect(recorder.events).toHaveLength(fired);
    expect(unique(ids(recorder.events))).toBe(true);
    expect(pushes.map((push) => push.eventId)).toEqual(ids(recorder.events));
    expect(tracker.stats().destinations.thrower).toMatchObject({ delivered: 0, failed: fired });
    expect(failures).toBe(fired);
    expect(lost).toBe(0);
  });

  it('buffers for an SDK that never loads, counts every drop of the full buffer and says so in debug', async () => {
    const { win, k, chat } = await chatPage();
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [segmentDestination(), recorder], { bufferSize: 10 });
    const fired = chat(3);
    const drops = debug.filter((m) => m.includes('segment: not ready and buffer full')).length;
    const { lost } = record('the Segment SDK never loads (buffer of 10)', fired, [recorder.events.length], tracker, 'segment', drops);
    expect(k.state.listenerErrors).toEqual([]);
    expect(recorder.events).toHaveLength(fired);
    expect(tracker.stats().destinations.segment).toMatchObject({ delivered: 0, buffered: 10, dropped: fired - 10, failed: 0 });
    expect(drops).toBe(fired - 10);
    expect(lost).toBe(0);
  });

  it('gives SDKs that load 10 s late, through their snippet, every event from before, in order, exactly once', async () => {
    const { win, k, chat } = await chatPage();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const segmentCalls: unknown[][] = [];
    const rudderCalls: unknown[][] = [];
    const loadSegment = snippet(win, 'analytics', segmentCalls);
    const loadRudder = snippet(win, 'rudderanalytics', rudderCalls);
    setTimeout(() => {
      loadSegment();
      loadRudder();
    }, 10_000);
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [segmentDestination(), rudderstackDestination(), recorder]);
    let fired = chat(2);
    vi.advanceTimersByTime(9_999);
    expect(segmentCalls).toEqual([]);
    expect(tracker.stats().destinations.segment.buffered).toBe(fired);
    vi.advanceTimersByTime(1);
    // Flushed by the SDKs' ready callbacks alone: no further chat event was needed.
    expect(segmentCalls).toHaveLength(fired);
    fired += chat(1);
    const segmentIds = segmentCalls.map((call) => (call[2] as { messageId: string }).messageId);
    const rudderIds = rudderCalls.map((call) => (call[1] as { event_id: string }).event_id);
    record('Segment and RudderStack load 10 s late (snippet queues `ready`)', fired, [recorder.events.length, segmentIds.length, rudderIds.length], tracker, undefined, debug.length);
    expect(k.state.listenerErrors).toEqual([]);
    expect(segmentIds).toEqual(ids(recorder.events));
    expect(rudderIds).toEqual(ids(recorder.events));
    expect(tracker.stats().destinations.segment).toMatchObject({ delivered: fired, buffered: 0, dropped: 0 });
  });

  it('flushes a destination whose readiness flips after 10 s through its ready callback, up to the bounded buffer', async () => {
    const { win, k, chat } = await chatPage();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const late = recordingDestination('late', { ready: false });
    setTimeout(() => {
      late.ready = true;
      flushOf(late)();
    }, 10_000);
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [late, recorder], { bufferSize: 5 });
    const fired = chat(2);
    const buffered = tracker.stats().destinations.late;
    vi.advanceTimersByTime(10_000);
    const drops = debug.filter((m) => m.includes('late: not ready and buffer full')).length;
    const { lost } = record('a destination ready after 10 s, buffer of 5', fired, [recorder.events.length], tracker, 'late', drops, 'gets the newest 5; the 9 older are counted as dropped');
    expect(k.state.listenerErrors).toEqual([]);
    expect(buffered).toMatchObject({ buffered: 5, dropped: fired - 5 });
    expect(ids(late.events)).toEqual(ids(recorder.events).slice(-5));
    expect(tracker.stats().destinations.late).toMatchObject({ delivered: 5, buffered: 0, dropped: fired - 5 });
    expect(drops).toBe(fired - 5);
    expect(lost).toBe(0);
  });

  it('follows a dataLayer whose push GTM replaces mid-session, and leaves no stale key in its data model', async () => {
    const { win, k, chat } = await chatPage();
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [gtmDataLayer(), recorder]);
    let fired = chat(1);
    // What GTM does when it loads: process what is queued, then replace push with a function that merges each
    // pushed object into its data model (objects merge, anything else, undefined included, overwrites).
    const dataLayer = win.dataLayer as Record<string, unknown>[];
    const model: Record<string, unknown> = {};
    const seen: Array<Record<string, unknown>> = [];
    let uniqueEventId = 0;
    const merge = (target: Record<string, unknown>, source: Record<string, unknown>) => {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (value && typeof value === 'object' && target[key] && typeof target[key] === 'object') merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
        else target[key] = value;
      }
    };
    const processEntry = (entry: Record<string, unknown>) => {
      merge(model, entry);
      entry['gtm.uniqueEventId'] = ++uniqueEventId;
      if (entry.event === 'Kustomer_Chat_Event') seen.push({ ...model });
    };
    dataLayer.forEach(processEntry);
    const originalPush = dataLayer.push;
    dataLayer.push = function (...entries: Record<string, unknown>[]) {
      const length = originalPush.apply(dataLayer, entries);
      entries.forEach(processEntry);
      return length;
    };
    fired += chat(2);
    const { lost } = record("window.dataLayer's push replaced by GTM's merging wrapper mid-session", fired, [recorder.events.length, seen.length], tracker, 'gtm', debug.length);
    expect(k.state.listenerErrors).toEqual([]);
    expect(seen.map((state) => state.eventId)).toEqual(ids(recorder.events));
    // The model after each push describes that event only: e.g. 'chat closed' carries no rating or conversation.
    const closed = seen.filter((state) => state.chat_Action === 'chat closed');
    expect(closed).toHaveLength(3);
    for (const state of closed) expect(state).toMatchObject({ conversationId: undefined, satisfactionScore: undefined });
    expect(new Set(dataLayer).size).toBe(dataLayer.length);
    expect(lost).toBe(0);
  });

  it('counts as failed, with a debug message, what it cannot push to a dataLayer that is not an array, and recovers', async () => {
    const { win, k, chat } = await chatPage();
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [gtmDataLayer(), recorder]);
    const broken: Array<[string, () => unknown]> = [
      ['{}', () => ({})],
      ["'broken'", () => 'broken'],
      ['42', () => 42],
      ['a frozen array', () => Object.freeze([])],
      ['an object whose push throws', () => ({ push: () => { throw new Error('push throws'); } })],
    ];
    let fired = 0;
    let brokenEvents = 0;
    let delivered = 0;
    for (const [, make] of broken) {
      win.dataLayer = make();
      const whileBroken = chat(1);
      fired += whileBroken;
      brokenEvents += whileBroken;
      win.dataLayer = [];
      fired += chat(1);
      delivered += chatPushes(win.dataLayer).length;
    }
    // null and undefined: a missing dataLayer is created, nothing fails.
    for (const missing of [null, undefined]) {
      win.dataLayer = missing;
      fired += chat(1);
      delivered += chatPushes(win.dataLayer).length;
    }
    const failures = debug.filter((m) => m.includes('gtm: send failed')).length;
    const { lost } = record(
      `window.dataLayer replaced by ${broken.map(([name]) => name).join(', ')}, then restored; and by null / undefined`,
      fired,
      [recorder.events.length],
      tracker,
      'gtm',
      failures,
      `${delivered} pushed, ${brokenEvents} counted as failed while broken`,
    );
    expect(k.state.listenerErrors).toEqual([]);
    expect(recorder.events).toHaveLength(fired);
    expect(tracker.stats().destinations.gtm).toMatchObject({ failed: brokenEvents, delivered, dropped: 0 });
    expect(delivered + brokenEvents).toBe(fired);
    expect(failures).toBe(brokenEvents);
    expect(lost).toBe(0);
  });

  it("attaches its listeners once when Kustomer's start callback is called twice", async () => {
    const page = fakePage();
    const win = page.window as unknown as Win;
    g.window = win;
    page.kustomer.loadWidgetLoader();
    // A buggy SDK (or page) that calls the start callback twice.
    const loader = win.Kustomer as { start(o: object, cb?: () => void): void };
    const queueStart = loader.start;
    loader.start = (options, callback) => queueStart(options, () => {
      callback?.();
      callback?.();
    });
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [recorder]);
    let pageCallbacks = 0;
    (win.Kustomer as { start(o: object, cb: () => void): void }).start({ brandId: 'b' }, () => pageCallbacks++);
    page.kustomer.deliverWidgetSdk();
    await page.kustomer.initialized();
    page.kustomer.open();
    page.kustomer.startConversation('conv_twice');
    page.kustomer.agentReplies('conv_twice');
    page.kustomer.close();
    const { lost, duplicates } = record("Kustomer's start callback called twice", 4, [recorder.events.length], tracker, undefined, debug.length, `listeners attached: ${page.kustomer.widgetListenerCount()}`);
    expect(pageCallbacks).toBe(2);
    expect(page.kustomer.widgetListenerCount()).toBe(6);
    expect(recorder.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
    expect(lost + duplicates).toBe(0);
  });

  it('stops and starts again 20 times without stacking listeners, delivering each event after a restart once', async () => {
    const { win, k, chat } = await chatPage();
    const recorder = recordingDestination('recorder');
    const late = recordingDestination('late', { ready: false });
    const { tracker, debug } = track(win, [recorder, late]);
    let fired = chat(1);
    for (let i = 0; i < 20; i++) {
      tracker.stop();
      // While stopped nothing listens: by design these are not tracked.
      k.open();
      tracker.start();
    }
    fired += chat(1);
    const counts = { widget: k.widgetListenerCount(), core: k.coreListenerCount() };
    // Events buffered for a destination that is not ready survive the restarts.
    late.ready = true;
    flushOf(late)();
    const { lost, duplicates } = record('stop() then start() again, 20 times', fired, [recorder.events.length, late.events.length], tracker, undefined, debug.length, `listeners after: widget ${counts.widget}, core ${counts.core}; 20 opens while stopped not tracked, by design`);
    expect(counts).toEqual({ widget: 6, core: 7 });
    expect(recorder.events).toHaveLength(fired);
    expect(ids(late.events)).toEqual(ids(recorder.events));
    expect(lost + duplicates).toBe(0);
  });

  it('reports each event once when the widget loader is included twice and the SDK replaces window.Kustomer twice', async () => {
    const page = fakePage();
    const win = page.window as unknown as Win;
    g.window = win;
    const recorder = recordingDestination('recorder');
    const { tracker, debug } = track(win, [recorder, gtmDataLayer()]);
    page.kustomer.loadWidgetLoader();
    (win.Kustomer as { start(o: object): void }).start({ brandId: 'b' });
    page.kustomer.loadWidgetLoader();
    (win.Kustomer as { start(o: object): void }).start({ brandId: 'b' });
    page.kustomer.deliverWidgetSdk();
    page.kustomer.deliverWidgetSdk();
    await page.kustomer.initialized();
    page.kustomer.open();
    page.kustomer.startConversation('conv_double');
    page.kustomer.agentReplies('conv_double');
    page.kustomer.close();
    const pushes = chatPushes(win.dataLayer);
    const { lost, duplicates } = record('the widget loaded twice (loader twice, SDK replacing window.Kustomer twice)', 4, [recorder.events.length, pushes.length], tracker, undefined, debug.length, `start calls: ${page.kustomer.state.startCalls}, listeners: ${page.kustomer.widgetListenerCount()}`);
    expect(page.kustomer.widgetListenerCount()).toBe(6);
    expect(recorder.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
    expect(lost + duplicates).toBe(0);
  });

  it('pushes each event once when two copies of the library (drop-in and bundle) track into one dataLayer', async () => {
    const { win, k, chat } = await chatPage();
    const first = track(win, [gtmDataLayer()]);
    const second = track(win, [gtmDataLayer(), recordingDestination('recorder')]);
    const fired = chat(2);
    const pushes = chatPushes(win.dataLayer);
    const { lost, duplicates } = record('two trackers on one page with the same dataLayer', fired, [pushes.length], second.tracker, undefined, first.debug.length + second.debug.length, `second tracker counted ${second.tracker.stats().destinations.gtm.duplicates} duplicates`);
    expect(k.state.listenerErrors).toEqual([]);
    expect(unique(pushes.map((push) => push.eventId))).toBe(true);
    expect(second.tracker.stats().destinations.gtm.duplicates).toBe(fired);
    expect(lost + duplicates).toBe(0);
  });

  it('isolates hooks that throw: isReady, onReady, the debug callback, consent subscribe, blocked sessionStorage', async () => {
    const { win, k, chat } = await chatPage();
    Object.defineProperty(win, 'sessionStorage', { configurable: true, get: () => { throw new Error('storage blocked'); } });
    const boom = () => {
      throw new Error('hook throws');
    };
    // One destination whose send and onReady throw, one whose isReady throws (so it is never ready).
    const hostileSend: Destination = { name: 'hostile-send', onReady: boom, send: boom };
    const hostileReady: Destination = { name: 'hostile-ready', isReady: boom, send: () => {} };
    const recorder = recordingDestination('recorder');
    const tracker = createChatTracker({
      window: win as unknown as Window,
      destinations: [hostileSend, hostileReady, recorder],
      debug: boom,
      consent: { granted: () => true, subscribe: boom },
    }).start();
    stops.push(() => tracker.stop());
    const fired = chat(2);
    const { lost } = record('send, onReady, isReady, the debug callback and consent.subscribe all throw; sessionStorage blocked', fired, [recorder.events.length], tracker, 'hostile-send', 0, `the destination whose isReady throws holds ${tracker.stats().destinations['hostile-ready'].buffered} events in its buffer`);
    expect(k.state.listenerErrors).toEqual([]);
    expect(recorder.events).toHaveLength(fired);
    expect(tracker.stats().destinations['hostile-send']).toMatchObject({ failed: fired, delivered: 0 });
    expect(tracker.stats().destinations['hostile-ready']).toMatchObject({ buffered: fired, delivered: 0, dropped: 0 });
    expect(lost).toBe(0);
  });
});
