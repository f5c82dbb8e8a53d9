// Issue 19, fast, in jsdom with the strict stand-in: restarts of the same object, whatever isChatAvailable()
// answers before start, a library loaded after start(), and what stats() tells meanwhile. The same cases run in
// real Chromium in test/e2e/readiness.test.js.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import { RECHECK_MS } from '../../core/watch-sdk';
import { WIDGET_EVENTS } from '../../core/kustomer-events';
import { fakePage, recordingDestination, settle } from '../support/fake-page.js';

type Page = ReturnType<typeof fakePage>;
type WidgetSdk = { start(options: object, callback?: () => void): void; stop(callback?: () => void): void };
const widget = (page: Page) => (page.window as unknown as { Kustomer: WidgetSdk }).Kustomer;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const WIDGET_LISTENERS = Object.keys(WIDGET_EVENTS).length;

function track(page: Page) {
  const destination = recordingDestination();
  const tracker = createChatTracker({ destinations: [destination], window: page.window as unknown as Window }).start();
  cleanups.push(() => tracker.stop());
  return { tracker, destination };
}

/** One short chat on a started widget: 3 events. */
function chat(page: Page, conversationId: string) {
  page.kustomer.open();
  page.kustomer.startConversation(conversationId);
  page.kustomer.close();
}

const startWidget = (page: Page, callback?: () => void) => widget(page).start({ brandId: 'b' }, callback);

describe.each([1, 3, 10])('%i stop()/start() cycles of the same window.Kustomer', (cycles) => {
  it('deliver every event once per cycle, with one listener per event, never two', async () => {
    const page = fakePage({ initDelayMs: 20 });
    const { destination } = track(page);
    await page.kustomer.loadStartedWidget();
    const perCycle: number[] = [];
    for (let cycle = 0; cycle <= cycles; cycle++) {
      const before = destination.events.length;
      chat(page, `conv_${cycle}`);
      perCycle.push(destination.events.length - before);
      expect(page.kustomer.widgetListenerCount()).toBe(WIDGET_LISTENERS);
      widget(page).stop();
      expect(page.kustomer.widgetListenerCount()).toBe(0); // as the docs say: stop() "stops all event listeners"
      startWidget(page);
      await page.kustomer.initialized();
    }
    expect(perCycle).toEqual(Array(cycles + 1).fill(3));
    expect(new Set(destination.events.map((event) => event.id)).size).toBe(destination.events.length);
  });
});

describe.each([
  ['answers "none"', 'none'],
  ['throws', 'throws'],
  ['answers early, as if started', 'early'],
  ['is ignored', undefined],
] as const)('isChatAvailable() that %s before start has called back', (_label, availableBeforeStart) => {
  it('loses nothing after start, with the library loaded first', async () => {
    const page = fakePage({ initDelayMs: 300 });
    const { destination, tracker } = track(page);
    page.kustomer.loadWidgetLoader();
    startWidget(page);
    page.kustomer.deliverWidgetSdk({ availableBeforeStart });
    expect(tracker.stats().kustomer.widget.state).toBe('waiting');
    await page.kustomer.initialized();
    chat(page, 'conv_1');
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'chat_closed']);
    expect(tracker.stats().kustomer.widget.state).toBe('listening');
  });

  it('loses nothing after start, with the library loaded during the start', async () => {
    const page = fakePage({ initDelayMs: 300 });
    page.kustomer.loadWidgetLoader();
    startWidget(page);
    page.kustomer.deliverWidgetSdk({ availableBeforeStart });
    await settle(100);
    const { destination } = track(page);
    await page.kustomer.initialized();
    await settle(2 * RECHECK_MS);
    chat(page, 'conv_1');
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'chat_closed']);
  });
});

describe('a library loaded after the page called start()', () => {
  it('hears events from at most one re-check interval after start has called back', async () => {
    const page = fakePage({ initDelayMs: 400 });
    page.kustomer.loadWidgetLoader();
    let calledBackAt = 0;
    startWidget(page, () => (calledBackAt = performance.now()));
    page.kustomer.deliverWidgetSdk({ availableBeforeStart: 'none' });
    const { destination } = track(page);
    // A conversation event every 5 ms, from start's callback on.
    const firedAt = new Map<string, number>();
    let n = 0;
    const timer = setInterval(() => {
      if (!calledBackAt) return;
      const id = `conv_${++n}`;
      firedAt.set(id, performance.now() - calledBackAt);
      page.kustomer.startConversation(id);
    }, 5);
    await page.kustomer.initialized();
    await settle(400);
    clearInterval(timer);
    const heard = destination.events.map((event) => event.conversationId!);
    const firstHeard = firedAt.get(heard[0])!;
    expect(firstHeard).toBeLessThanOrEqual(RECHECK_MS + 25);
    // Every event from the first heard on.
    const fired = [...firedAt.keys()];
    expect(heard).toEqual(fired.slice(fired.indexOf(heard[0])));
  });
});

describe('stats().kustomer and the re-check', () => {
  it('is absent without Kustomer and runs no timer then', async () => {
    const page = fakePage();
    const setTimeout = vi.spyOn(page.window, 'setTimeout');
    const { tracker } = track(page);
    await settle(3 * RECHECK_MS);
    expect(tracker.stats().kustomer).toEqual({ widget: { state: 'absent', attachAttempts: 0 }, core: { state: 'absent', attachAttempts: 0 } });
    expect(setTimeout).not.toHaveBeenCalled();
  });

  it('waits while the loader is there and no listener is proven live, then listens and stops re-checking', async () => {
    const page = fakePage({ initDelayMs: 200 });
    page.kustomer.loadWidgetLoader();
    startWidget(page);
    page.kustomer.deliverWidgetSdk();
    const { tracker } = track(page);
    await settle(3 * RECHECK_MS);
    const waiting = tracker.stats().kustomer.widget;
    expect(waiting.state).toBe('waiting');
    expect(waiting.attachAttempts).toBeGreaterThanOrEqual(3);
    await page.kustomer.initialized();
    await settle(2 * RECHECK_MS);
    page.kustomer.open(); // the first event proves the listener live
    const listening = tracker.stats().kustomer.widget;
    expect(listening.state).toBe('listening');
    await settle(4 * RECHECK_MS);
    expect(tracker.stats().kustomer.widget.attachAttempts).toBe(listening.attachAttempts);
  });

  it('never doubles an event when Kustomer takes listeners early and its removeListener does nothing', async () => {
    const page = fakePage({ initDelayMs: 300 });
    page.kustomer.loadWidgetLoader();
    startWidget(page);
    page.kustomer.deliverWidgetSdk({ acceptEarlyListeners: true, removeListenerWorks: false });
    const { destination, tracker } = track(page);
    await page.kustomer.initialized();
    await settle(3 * RECHECK_MS);
    expect(tracker.stats().kustomer.widget.attachAttempts).toBeGreaterThan(2);
    chat(page, 'conv_1');
    chat(page, 'conv_2');
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'chat_closed', 'chat_opened', 'conversation_started', 'chat_closed']);
  });

  it('leaves the page as it was after stop(), wrappers and timers included, over repeated cycles', async () => {
    const page = fakePage({ initDelayMs: 50 });
    page.kustomer.loadWidgetLoader();
    const loader = widget(page);
    const originalStart = loader.start;
    for (let i = 0; i < 3; i++) {
      const { tracker } = track(page);
      expect(loader.start).not.toBe(originalStart);
      tracker.stop();
      expect(loader.start).toBe(originalStart);
    }
    const full = page.kustomer.deliverWidgetSdk() as WidgetSdk;
    const originalStop = full.stop;
    const { tracker } = track(page);
    expect(full.stop).not.toBe(originalStop);
    tracker.stop();
    expect(full.stop).toBe(originalStop);
    const setTimeout = vi.spyOn(page.window, 'setTimeout');
    await settle(3 * RECHECK_MS);
    expect(setTimeout).not.toHaveBeenCalled();
  });
});
