import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import { fakePage, recordingDestination, settle } from '../support/fake-page.js';
import { FULL_CONVERSATION_ACTIONS } from '../../support/kustomer-stand-in.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

function track(page: ReturnType<typeof fakePage>, destination = recordingDestination(), options = {}) {
  const tracker = createChatTracker({ destinations: [destination], window: page.window as unknown as Window, ...options }).start();
  cleanups.push(() => tracker.stop());
  return { tracker, destination };
}

async function conversationOnStartedWidget(page: ReturnType<typeof fakePage>) {
  await page.kustomer.initialized();
  page.kustomer.open();
  page.kustomer.startConversation('c1');
  page.kustomer.agentReplies('c1');
  page.kustomer.close();
}

// Every order runs with a start that calls back almost at once and with a slow one (a network round trip).
describe.each([
  ['an instant start', 1],
  ['a 500 ms start', 500],
])('Kustomer source: load order, with %s', (_label, initDelayMs) => {
  it('attaches when the library loads before the widget', async () => {
    const page = fakePage({ initDelayMs });
    const { destination } = track(page);
    page.kustomer.loadWidgetLoader();
    page.window.Kustomer.start({ brandId: 'b' });
    page.kustomer.deliverWidgetSdk();
    await conversationOnStartedWidget(page);
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
  });

  it('attaches when the widget loader is there and start is called later', async () => {
    const page = fakePage({ initDelayMs });
    page.kustomer.loadWidgetLoader();
    const { destination } = track(page);
    const pageCallback = vi.fn();
    page.window.Kustomer.start({ brandId: 'b' }, pageCallback);
    page.kustomer.deliverWidgetSdk();
    await conversationOnStartedWidget(page);
    expect(pageCallback).toHaveBeenCalledOnce();
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
  });

  it('attaches when the page called start before the library loaded, and the SDK arrives after', async () => {
    const page = fakePage({ initDelayMs });
    page.kustomer.loadWidgetLoader();
    page.window.Kustomer.start({ brandId: 'b' });
    const { destination } = track(page);
    page.kustomer.deliverWidgetSdk();
    await conversationOnStartedWidget(page);
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
  });

  for (const how of ['inPlace', 'inPlaceSkipExisting', 'defineProperty', 'recreate']) {
    it(`attaches within a second of start's callback when start ran before the library and the SDK arrives ${how}`, async () => {
      const page = fakePage({ initDelayMs });
      page.kustomer.loadWidgetLoader();
      page.window.Kustomer.start({ brandId: 'b' });
      const { destination } = track(page);
      page.kustomer.deliverWidgetSdk({ how });
      await page.kustomer.initialized();
      await settle(1000);
      await conversationOnStartedWidget(page);
      expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
      expect(page.kustomer.widgetListenerCount('onOpen')).toBe(1);
    });
  }

  it('attaches within a second of the callback when the library arrives between start() and its callback', async () => {
    const page = fakePage({ initDelayMs });
    page.kustomer.loadWidgetLoader();
    page.window.Kustomer.start({ brandId: 'b' });
    page.kustomer.deliverWidgetSdk();
    const { destination } = track(page);
    await page.kustomer.initialized();
    await settle(1000);
    await conversationOnStartedWidget(page);
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
    expect(page.kustomer.widgetListenerCount('onOpen')).toBe(1);
  });

  it('reports the headless core whenever it loads, with the rating from submitSatisfactionForm', async () => {
    const page = fakePage({ initDelayMs });
    const { destination } = track(page);
    page.kustomer.loadCore();
    page.window.KustomerCore.init({ brandId: 'b' });
    await page.kustomer.initialized();
    page.kustomer.startConversation('c1');
    page.kustomer.visitorSends('c1');
    page.kustomer.agentReplies('c1');
    await page.kustomer.rate('c1', 4);
    page.kustomer.endConversation('c1');
    expect(destination.actions()).toEqual(['conversation_started', 'message_sent', 'message_received', 'satisfaction_requested', 'satisfaction_submitted', 'conversation_ended']);
    expect(destination.events[3]).toMatchObject({ ratingScale: 5, satisfactionId: 's_c1', conversationId: 'c1' });
    expect(destination.events[3]).not.toHaveProperty('rating');
    expect(destination.events[4]).toMatchObject({ rating: 4, ratingScale: 5, satisfactionId: 's_c1', conversationId: 'c1' });
  });
});

describe('Kustomer source: load order', () => {
  it('attaches at once to a widget that has already started', async () => {
    const page = fakePage();
    await page.kustomer.loadStartedWidget();
    const { destination } = track(page);
    await conversationOnStartedWidget(page);
    expect(destination.actions()).toEqual(['chat_opened', 'conversation_started', 'message_received', 'chat_closed']);
  });

  it('runs no timer while the widget never loads, and still delivers emit()', () => {
    const page = fakePage();
    const globalsBefore = Object.getOwnPropertyNames(page.window);
    const setTimeoutSpy = vi.spyOn(page.window, 'setTimeout');
    const setIntervalSpy = vi.spyOn(page.window, 'setInterval');
    const { tracker } = track(page);
    tracker.emit('proactive_trigger');
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
    expect(tracker.stats().destinations.recorder.delivered).toBe(1);
    // Not even `Kustomer`: the widget's globals are watched only once the widget has created them.
    expect(Object.getOwnPropertyNames(page.window)).toEqual(globalsBefore);
  });

  it("wraps start before the page's own kustomerLoaded handler calls it", async () => {
    const page = fakePage();
    let startSeenByPage = '';
    let listenersInPageCallback = -1;
    // The page registered its handler first; the library's, in the capture phase, still runs before it.
    page.window.addEventListener('kustomerLoaded', () => {
      startSeenByPage = page.window.Kustomer.start.name;
      page.window.Kustomer.start({ brandId: 'b' }, () => (listenersInPageCallback = page.kustomer.widgetListenerCount()));
    });
    track(page);
    page.kustomer.loadWidgetLoader();
    page.kustomer.deliverWidgetSdk();
    await page.kustomer.initialized();
    expect(startSeenByPage).toBe('wrapper');
    expect(listenersInPageCallback).toBe(6);
  });
});

describe('Kustomer source: widget and core together', () => {
  it('reports a conversation once when both SDKs report it, and agent messages from the core only', async () => {
    const page = fakePage();
    const { destination } = track(page);
    await page.kustomer.loadStartedWidgetAndCore();
    await page.kustomer.fullConversation('c9');
    expect(destination.actions()).toEqual(FULL_CONVERSATION_ACTIONS);
  });
});

describe('Kustomer source: once and re-mounts', () => {
  it('attaches exactly once when two trackers share a destination', async () => {
    const page = fakePage();
    const destination = recordingDestination('gtm');
    track(page, destination);
    track(page, destination);
    await page.kustomer.loadStartedWidget();
    expect(page.kustomer.widgetListenerCount('onOpen')).toBe(1);
    page.kustomer.open();
    expect(destination.actions()).toEqual(['chat_opened']);
  });

  it('gives a second tracker with other destinations its own events', async () => {
    const page = fakePage();
    const first = track(page, recordingDestination('first')).destination;
    const second = track(page, recordingDestination('second')).destination;
    await page.kustomer.loadStartedWidget();
    page.kustomer.open();
    expect(first.actions()).toEqual(['chat_opened']);
    expect(second.actions()).toEqual(['chat_opened']);
  });

  it('calling start() twice adds no second set of listeners', async () => {
    const page = fakePage();
    const { tracker, destination } = track(page);
    tracker.start();
    await page.kustomer.loadStartedWidget();
    page.kustomer.open();
    expect(page.kustomer.widgetListenerCount()).toBe(6);
    expect(destination.actions()).toEqual(['chat_opened']);
  });

  it('a start callback that runs twice leaves one set of listeners', async () => {
    const page = fakePage();
    track(page);
    await page.kustomer.loadStartedWidget();
    page.window.Kustomer.start({}, () => {});
    await page.kustomer.initialized();
    expect(page.kustomer.widgetListenerCount()).toBe(6);
  });
});

describe('Kustomer source: stop()', () => {
  it('restores a loader it wrapped before start', () => {
    const page = fakePage();
    page.kustomer.loadWidgetLoader();
    const originalStart = page.window.Kustomer.start;
    const { tracker } = track(page);
    expect(page.window.Kustomer.start).not.toBe(originalStart);
    tracker.stop();
    expect(page.window.Kustomer.start).toBe(originalStart);
  });

  it('removes every listener and restores what it wrapped', async () => {
    const page = fakePage();
    const before = Object.getOwnPropertyNames(page.window).sort();
    const { tracker, destination } = track(page);
    page.kustomer.loadWidgetLoader();
    const loader = page.window.Kustomer;
    expect(loader.start.name).toBe('wrapper');
    tracker.stop();
    expect(loader.start.name).toBe('start');
    expect(Object.getOwnPropertyDescriptor(page.window, 'Kustomer')).toHaveProperty('value', loader);
    expect(Object.getOwnPropertyNames(page.window).sort()).toEqual([...before, 'Kustomer'].sort());
    loader.start({});
    page.kustomer.deliverWidgetSdk();
    await page.kustomer.initialized();
    page.kustomer.open();
    expect(page.kustomer.widgetListenerCount()).toBe(0);
    expect(destination.events).toEqual([]);
  });

  it('removes the listeners of a started widget, and start() attaches again', async () => {
    const page = fakePage();
    await page.kustomer.loadStartedWidget();
    const { tracker, destination } = track(page);
    expect(page.kustomer.widgetListenerCount()).toBe(6);
    tracker.stop();
    expect(page.kustomer.widgetListenerCount()).toBe(0);
    tracker.start();
    page.kustomer.open();
    expect(page.kustomer.widgetListenerCount()).toBe(6);
    expect(destination.actions()).toEqual(['chat_opened']);
  });
});

describe('Kustomer source: malformed payloads', () => {
  it('never throws into Kustomer and reports what it drops when debug is on', async () => {
    const page = fakePage();
    const messages: string[] = [];
    const { destination } = track(page, recordingDestination(), { debug: (message: string) => messages.push(message) });
    page.kustomer.loadCore();
    page.window.KustomerCore.init({});
    await page.kustomer.initialized();
    const hostile = { get conversationId() { throw new Error('getter'); } };
    for (const payload of [null, undefined, 'text', 42, [], hostile, { response: { rating: 'NaN' } }, { conversationId: { nested: true } }]) {
      for (const name of ['onConversationCreate', 'onMessageSent', 'onMessageReceived', 'onSatisfactionReceived', 'onConversationEnded']) {
        page.kustomer.fireCore(name, payload);
      }
    }
    page.kustomer.fireCore('onMessageSent', { conversationId: 'c1' }, new Error('send failed'));
    expect(page.kustomer.state.listenerErrors).toEqual([]);
    expect(destination.events.every((event) => !('conversationId' in event))).toBe(true);
    expect(destination.actions()).not.toContain('satisfaction_submitted');
    expect(messages).toContain('listening to the Kustomer core');
    expect(messages).toContain('onMessageSent: Kustomer reported an error');
    expect(messages).toContain('onConversationCreate: dropped invalid conversationId');
  });

  it('never forwards message text, names or CSAT free text', async () => {
    const page = fakePage();
    const { destination } = track(page);
    await page.kustomer.loadStartedWidgetAndCore();
    await page.kustomer.fullConversation('c1');
    const output = JSON.stringify(destination.events);
    // Whole planted strings: a random base-36 event id may well contain a short run like '555'.
    for (const secret of ['carol@example.com', 'Carol', 'Alice', '+1 555 0100', 'invoice.pdf', 'How did we do']) expect(output).not.toContain(secret);
  });
});
