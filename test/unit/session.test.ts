import { afterEach, describe, expect, it } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import { identityStitching } from '../../core/stitch';
import { gtmDataLayer, ga4DataLayer } from '../../plugins/gtm/index';
import { segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { fakePage, recordingDestination } from '../support/fake-page.js';

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

type Page = ReturnType<typeof fakePage>;

function start(page: Page, destinations: unknown[], options: Record<string, unknown> = {}) {
  const tracker = createChatTracker({ destinations: destinations as never, window: page.window as unknown as Window, ...options }).start();
  stops.push(() => tracker.stop());
  return tracker;
}

/**
 * The next page of the same visit: a new window with the same sessionStorage, as a browser tab keeps it. The
 * browser fires `pagehide` on the page that goes before the next one loads.
 */
function nextPage(previous: Page): Page {
  previous.window.dispatchEvent(new previous.window.PageTransitionEvent('pagehide', { persisted: false }));
  const page = fakePage();
  const storage = previous.window.sessionStorage;
  for (let i = 0; i < storage.length; i++) page.window.sessionStorage.setItem(storage.key(i)!, storage.getItem(storage.key(i)!)!);
  return page;
}

async function widgetRestoring(page: Page, conversationId: string, unread: number) {
  await page.kustomer.loadStartedWidget();
  page.kustomer.startConversation(conversationId);
  for (let i = 0; i < unread; i++) page.kustomer.agentReplies(conversationId);
}

describe('once across page loads', () => {
  it('reports a conversation restored on the next page once, and only real unread rises', async () => {
    const first = fakePage();
    const onFirst = recordingDestination();
    start(first, [onFirst]);
    await widgetRestoring(first, 'c1', 1);

    const second = nextPage(first);
    const onSecond = recordingDestination();
    start(second, [onSecond]);
    await second.kustomer.loadStartedWidget();
    // The widget restores its state on the new page: the same conversation and the same unread count.
    second.kustomer.startConversation('c1');
    second.kustomer.state.unreadTotal = 1;
    second.kustomer.fireWidget('onUnread', { total: 1, change: { conversationId: 'c1' } });
    second.kustomer.agentReplies('c1');

    expect(onFirst.actions()).toEqual(['conversation_started', 'message_received']);
    expect(onSecond.actions()).toEqual(['message_received']);
    expect(onSecond.events[0].unreadTotal).toBe(2);
    expect(onSecond.events[0].id).not.toBe(onFirst.events[1].id);
  });

  it('reports satisfaction and conversation end once per conversation', async () => {
    const page = fakePage();
    const destination = recordingDestination();
    start(page, [destination]);
    page.kustomer.loadCore();
    page.window.KustomerCore.init({});
    await page.kustomer.initialized();
    for (let i = 0; i < 2; i++) {
      await page.kustomer.rate('c1', 5);
      page.kustomer.endConversation('c1');
    }
    expect(destination.actions()).toEqual(['satisfaction_requested', 'satisfaction_submitted', 'conversation_ended']);
  });

  it('keeps memory for the page only when sessionMemory is false', async () => {
    const first = fakePage();
    start(first, [recordingDestination()], { sessionMemory: false });
    await widgetRestoring(first, 'c1', 0);
    expect(first.window.sessionStorage.length).toBe(0);
  });

  it('falls back to page memory without throwing when storage is blocked or full', async () => {
    const blocked = fakePage();
    Object.defineProperty(blocked.window, 'sessionStorage', { get: () => { throw new Error('SecurityError'); } });
    const full = fakePage();
    full.window.sessionStorage.setItem = () => { throw new Error('QuotaExceededError'); };
    for (const page of [blocked, full]) {
      const destination = recordingDestination();
      start(page, [destination]);
      await widgetRestoring(page, 'c1', 0);
      page.kustomer.startConversation('c1');
      expect(destination.actions()).toEqual(['conversation_started']);
      expect(page.kustomer.state.listenerErrors).toEqual([]);
    }
  });
});

describe('one event id everywhere', () => {
  it('sends the same id to the dataLayer, GA4, Segment (also as messageId) and RudderStack', async () => {
    const page = fakePage();
    const w = globalThis as unknown as Record<string, unknown>;
    const dataLayer: Record<string, unknown>[] = [];
    const segmentCalls: unknown[][] = [];
    const rudderCalls: unknown[][] = [];
    const ready = (callback: () => void) => callback();
    (page.window as unknown as Record<string, unknown>).dataLayer = dataLayer;
    const previousWindow = w.window;
    w.window = page.window;
    try {
      start(page, [
        gtmDataLayer(),
        ga4DataLayer(),
        segmentDestination({ track: (...args: unknown[]) => segmentCalls.push(args), ready }),
        rudderstackDestination({ track: (...args: unknown[]) => rudderCalls.push(args), ready }),
      ]);
      await widgetRestoring(page, 'c1', 0);
    } finally {
      w.window = previousWindow;
    }
    const id = dataLayer[0].eventId;
    expect(id).toMatch(/^k\d+$/);
    expect(dataLayer[1]).toMatchObject({ event: 'chat_conversation_start', event_id: id });
    expect(segmentCalls[0][1]).toMatchObject({ event_id: id, conversation_id: 'c1' });
    expect(segmentCalls[0][2]).toMatchObject({ messageId: id });
    expect(rudderCalls[0][1]).toMatchObject({ event_id: id, conversation_id: 'c1' });
  });
});

describe('identityStitching()', () => {
  it('writes the Segment, RudderStack and GA ids into the conversation, and nothing from the chat into analytics', async () => {
    const page = fakePage();
    page.window.document.cookie = '_ga=GA1.1.1234567890.1700000000';
    const previousDocument = (globalThis as Record<string, unknown>).document;
    (globalThis as Record<string, unknown>).document = page.window.document;
    try {
      const ready = (callback: () => void) => callback();
      const segment = { track: () => {}, ready, user: () => ({ anonymousId: () => 'anon-seg', id: () => null }) };
      const rudder = { track: () => {}, ready, getAnonymousId: () => 'anon-rudder', getUserId: () => null };
      start(page, [segmentDestination(segment), rudderstackDestination(rudder), gtmDataLayer()], { stitchIdentities: identityStitching({ attributes: { gaClientId: 'gaClientStr' } }) });
      await widgetRestoring(page, 'c1', 0);
    } finally {
      (globalThis as Record<string, unknown>).document = previousDocument;
    }
    expect(page.kustomer.state.describedConversations).toEqual([
      { conversationId: 'c1', customAttributes: { segmentAnonymousIdStr: 'anon-seg', rudderstackAnonymousIdStr: 'anon-rudder', gaClientStr: '1234567890.1700000000' } },
    ]);
  });

  it('stays off unless asked', async () => {
    const page = fakePage();
    start(page, [segmentDestination({ track: () => {}, ready: (callback: () => void) => callback(), user: () => ({ anonymousId: () => 'a', id: () => null }) })]);
    await widgetRestoring(page, 'c1', 0);
    expect(page.kustomer.state.describedConversations).toEqual([]);
  });
});
