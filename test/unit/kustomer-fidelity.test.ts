/**
 * The Kustomer SDKs as documented, read strictly (the stand-in cites each page): CSAT from the submitted form,
 * bot hand-off, reopened conversations, availability, a core that is present but silent, and SDKs that behave
 * in the unkind ways real pages do.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import { sharedOnPage } from '../../core/page';
import { wrapMethod } from '../../core/wrap';
import { gtmDataLayer } from '../../plugins/gtm/index';
import { segmentDestination } from '../../plugins/segment/index';
import { identityStitching } from '../../core/stitch';
import { fakePage, recordingDestination, settle } from '../support/fake-page.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

type Page = ReturnType<typeof fakePage>;

function track(page: Page, destination = recordingDestination(), options = {}) {
  const tracker = createChatTracker({ destinations: [destination], window: page.window as unknown as Window, ...options }).start();
  cleanups.push(() => tracker.stop());
  return { tracker, destination };
}

async function startedCore(page: Page, deliverOptions = {}) {
  page.kustomer.loadCore({ deliver: false });
  page.window.KustomerCore.init({ brandId: 'b' });
  page.kustomer.deliverCoreSdk(deliverOptions);
  await page.kustomer.initialized();
}

describe('satisfaction (CSAT)', () => {
  it('reports a form received as requested and the submitted rating once, whichever signal reports it', async () => {
    for (const echoSatisfaction of [false, true]) {
      const page = fakePage();
      const { destination } = track(page);
      await startedCore(page, { echoSatisfaction });
      const answer = await page.kustomer.rate('c1', 4);
      expect(destination.actions()).toEqual(['satisfaction_requested', 'satisfaction_submitted']);
      expect(destination.events[1]).toMatchObject({ rating: 4, ratingScale: 5, satisfactionId: 's_c1', conversationId: 'c1' });
      // The site's own callback got Kustomer's response, free text and all: it is the site's.
      expect(answer.error).toBeUndefined();
      expect(answer.response.response).toEqual({ rating: 4, followupAnswer: 'Alice was great, call me on +1 555 0100' });
      const output = JSON.stringify(destination.events);
      for (const text of ['Alice', '555', 'How did we do', 'Post-chat survey', 'Great']) expect(output).not.toContain(text);
      cleanups.splice(0).forEach((cleanup) => cleanup());
    }
  });

  it('restores submitSatisfactionForm at stop()', async () => {
    const page = fakePage();
    await startedCore(page);
    const original = page.window.KustomerCore.submitSatisfactionForm;
    const { tracker } = track(page);
    expect(page.window.KustomerCore.submitSatisfactionForm).not.toBe(original);
    tracker.stop();
    expect(page.window.KustomerCore.submitSatisfactionForm).toBe(original);
  });

  it('takes the rating scale only from a form scale that yields a number', async () => {
    const page = fakePage();
    const { destination } = track(page);
    await startedCore(page);
    const form = (scale: unknown) => ({ conversationId: 'c1', satisfactionId: `s${destination.events.length}`, form: { scale } });
    page.kustomer.fireCore('onSatisfactionReceived', form({ options: '5', labelLow: 'Bad', labelHigh: 'Good', type: 'number' }));
    page.kustomer.fireCore('onSatisfactionReceived', form(10));
    page.kustomer.fireCore('onSatisfactionReceived', form({ options: 'Bad,Good', type: 'emoji' }));
    page.kustomer.fireCore('onSatisfactionReceived', form({ labelLow: 'Bad' }));
    expect(destination.events.map((event) => event.ratingScale)).toEqual([5, 10, undefined, undefined]);
  });
});

type Submit = (options: unknown, callback: (response: unknown, error?: unknown) => void) => unknown;

describe('wrapMethod()', () => {
  it('passes the same answer to the site, lets the site callback throw as before, and undoes itself', () => {
    const target: Record<string, unknown> = {
      submit(options: unknown, callback: (response: unknown, error?: unknown) => void) {
        callback({ ok: options }, undefined);
        return 'returned';
      },
    };
    const original = target.submit;
    const seen: unknown[] = [];
    const undo = wrapMethod(target, 'submit', (response, error) => seen.push(response, error));
    const site = vi.fn();
    expect((target.submit as Submit)('x', site)).toBe('returned');
    expect(site).toHaveBeenCalledWith({ ok: 'x' }, undefined);
    expect(seen).toEqual([{ ok: 'x' }, undefined]);
    expect(() => (target.submit as Submit)('y', () => { throw new Error('site bug'); })).toThrow('site bug');
    const failing = wrapMethod({ submit: target.submit }, 'submit', () => { throw new Error('our bug'); });
    expect(failing).toBeTypeOf('function');
    undo();
    expect(target.submit).toBe(original);
  });
});

describe('core events', () => {
  it('reports a bot hand-off, an end, a reopen and the next end', async () => {
    const page = fakePage();
    const { destination } = track(page);
    await startedCore(page);
    page.kustomer.assistantHandsOver('c1');
    page.kustomer.endConversation('c1');
    page.kustomer.endConversation('c1'); // a replay
    page.kustomer.reopenConversation('c1');
    page.kustomer.reopenConversation('c1'); // a replay
    page.kustomer.endConversation('c1');
    expect(destination.actions()).toEqual(['assistant_ended', 'conversation_ended', 'conversation_reopened', 'conversation_ended']);
    expect(new Set(destination.events.map((event) => event.id)).size).toBe(4);
  });

  it('reports widget unread rises while core.js is present but never initialised; a rise of 3 is 3', async () => {
    const page = fakePage();
    const { destination } = track(page);
    await page.kustomer.loadStartedWidget();
    page.kustomer.loadCore();
    await settle(5);
    page.kustomer.fireWidget('onUnread', { total: 1, change: { conversationId: 'c1' } });
    page.kustomer.fireWidget('onUnread', { total: 4, change: { conversationId: 'c1' } });
    expect(destination.actions()).toEqual(Array(4).fill('message_received'));
    expect(new Set(destination.events.map((event) => event.id)).size).toBe(4);
  });

  it('carries the availability on chat opened, into the dataLayer as chatAvailability', async () => {
    const page = fakePage();
    globalThis.window = page.window as never;
    cleanups.push(() => delete (globalThis as { window?: unknown }).window);
    const destination = recordingDestination();
    const tracker = createChatTracker({ destinations: [destination, gtmDataLayer()], window: page.window as unknown as Window }).start();
    cleanups.push(() => tracker.stop());
    await page.kustomer.loadStartedWidget();
    page.kustomer.state.availability = 'offline';
    page.kustomer.open();
    page.kustomer.close();
    expect(destination.events[0]).toMatchObject({ action: 'chat_opened', availability: 'offline' });
    const pushes = (page.window as unknown as { dataLayer: Record<string, unknown>[] }).dataLayer;
    expect(pushes[0]).toMatchObject({ chat_Action: 'chat opened', chatAvailability: 'offline' });
    expect(pushes[1]).toHaveProperty('chatAvailability', undefined);
  });
});

describe('SDKs that behave unkindly', () => {
  it('attaches once to an SDK that takes listeners early and whose removeListener does nothing', async () => {
    const page = fakePage();
    const { tracker, destination } = track(page);
    page.kustomer.loadWidgetLoader();
    page.window.Kustomer.start({ brandId: 'b' });
    page.kustomer.deliverWidgetSdk({ acceptEarlyListeners: true, removeListenerWorks: false });
    await page.kustomer.initialized();
    page.kustomer.open();
    tracker.stop();
    tracker.start();
    page.kustomer.open();
    expect(destination.actions()).toEqual(['chat_opened', 'chat_opened']);
  });

  it('listens to a frozen SDK and keeps a payload whose second argument is truthy but not an Error', async () => {
    const page = fakePage();
    const { destination } = track(page);
    page.kustomer.loadWidgetLoader();
    Object.freeze(page.window.Kustomer);
    page.window.Kustomer.start({ brandId: 'b' });
    page.kustomer.deliverWidgetSdk({ freeze: true });
    await page.kustomer.initialized();
    await settle(600);
    page.kustomer.fireWidget('onConversationCreate', { conversationId: 'c1', createdAt: new Date().toISOString() }, { status: 'ok' });
    page.kustomer.fireWidget('onOpen', undefined, new Error('real error'));
    expect(destination.actions()).toEqual(['conversation_started']);
  });

  it('never lets the site\'s own listener break, and the page never sees our exceptions', async () => {
    const page = fakePage();
    const siteListener = vi.fn();
    track(page);
    page.kustomer.loadWidgetLoader();
    page.window.Kustomer.start({ brandId: 'b' }, () => page.window.Kustomer.addListener('onOpen', siteListener));
    page.kustomer.deliverWidgetSdk({ how: 'inPlaceSkipExisting' });
    await page.kustomer.initialized();
    page.kustomer.open();
    expect(siteListener).toHaveBeenCalledOnce();
    expect(page.kustomer.state.listenerErrors).toEqual([]);
  });

  it('works without Symbol.for and on a window that refuses new properties', () => {
    const page = fakePage();
    const win = page.window as unknown as Window;
    const symbolFor = Symbol.for;
    const defineProperty = Object.defineProperty;
    let shared: unknown[] = [];
    let thrown: unknown;
    try {
      (Symbol as { for: unknown }).for = undefined;
      Object.defineProperty = (() => {
        throw new TypeError('refused');
      }) as never;
      shared = [sharedOnPage(win), sharedOnPage(win)];
    } catch (error) {
      thrown = error;
    } finally {
      (Symbol as { for: unknown }).for = symbolFor;
      Object.defineProperty = defineProperty;
    }
    expect(thrown).toBeUndefined();
    expect(shared[0]).toBeTypeOf('object');
    expect(shared[1]).toBe(shared[0]);
  });
});

describe('session memory and identity stitching, wired into the tracker', () => {
  it('gives unread-based messages different ids on two pages when storage is blocked', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 2; n++) {
      const page = fakePage();
      Object.defineProperty(page.window, 'sessionStorage', { get: () => { throw new Error('SecurityError'); } });
      const { destination } = track(page);
      await page.kustomer.loadStartedWidget();
      page.kustomer.startConversation('c1');
      page.kustomer.agentReplies('c1');
      ids.push(...destination.events.filter((event) => event.action === 'message_received').map((event) => event.id));
    }
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('writes and forwards no email given as the Segment user id, and counts the refusal', async () => {
    const page = fakePage();
    const segment = { track: () => {}, ready: (callback: () => void) => callback(), user: () => ({ anonymousId: () => 'a1', id: () => 'jane@example.com' }) };
    const debug: unknown[] = [];
    const { tracker } = track(page, segmentDestination(segment) as never, { stitchIdentities: identityStitching(), debug: (...args: unknown[]) => debug.push(args) });
    await page.kustomer.loadStartedWidget();
    page.kustomer.startConversation('c1');
    expect(tracker.stats().stitchFailures).toBe(1);
    expect(page.kustomer.state.describedConversations).toEqual([{ conversationId: 'c1', customAttributes: { segmentAnonymousIdStr: 'a1' } }]);
    expect(JSON.stringify(debug)).not.toContain('jane@example.com');
  });
});
