import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addScript, chatPushes, loadBothAndChat, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';

const DROP_IN = '/dist/kustomer-chat-gtm.min.js';
// The full build: the lean one plus the GA4-ready pushes and the debug messages.
const FULL_DROP_IN = '/dist/kustomer-chat-gtm.full.min.js';
let e2e;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.close());

const FULL_CONVERSATION = [
  { chat_Action: 'chat opened', conversationId: undefined, satisfactionScore: undefined },
  { chat_Action: 'conversation started', conversationId: 'conv_abc123', satisfactionScore: undefined },
  { chat_Action: 'message sent', conversationId: 'conv_abc123', satisfactionScore: undefined },
  { chat_Action: 'message received', conversationId: 'conv_abc123', satisfactionScore: undefined },
  { chat_Action: 'satisfaction requested', conversationId: 'conv_abc123', satisfactionScore: undefined },
  { chat_Action: 'satisfaction submitted', conversationId: 'conv_abc123', satisfactionScore: 5 },
  { chat_Action: 'conversation ended', conversationId: 'conv_abc123', satisfactionScore: undefined },
  { chat_Action: 'chat closed', conversationId: undefined, satisfactionScore: undefined },
];

/** Every chat push with its keys, `undefined` included (JSON would lose them). */
async function layout(page) {
  return page.evaluate(() =>
    (window.dataLayer || [])
      .filter((entry) => entry.event === 'Kustomer_Chat_Event')
      .map((entry) => ({ keys: Object.keys(entry), chat_Action: entry.chat_Action, conversationId: entry.conversationId, satisfactionScore: entry.satisfactionScore })),
  );
}

describe('the drop-in in real Chromium', () => {
  it('reports a widget that arrives after window load exactly once, although the drop-in is included twice', async () => {
    const page = await e2e.open(`<!doctype html><script src="${DROP_IN}"></script><script src="${DROP_IN}"></script>${standInScript}`);
    await standInReady(page);
    await loadBothAndChat(page);
    const pushes = await layout(page);
    expect(pushes.map(({ keys, ...rest }) => rest)).toEqual(FULL_CONVERSATION);
    // Every push sets every key of the layout, so GTM's data model keeps nothing from an earlier event.
    for (const { keys } of pushes) expect(keys.slice(0, 4)).toEqual(['event', 'chat_Action', 'conversationId', 'satisfactionScore']);
    expect(page.pageErrors).toEqual([]);
    expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
    const dataLayerText = JSON.stringify(await page.evaluate(() => window.dataLayer));
    // Whole planted strings: a random base-36 event id may well contain a short run like '555'.
    for (const personal of ['carol@example.com', 'Carol', 'Alice', '+1 555 0100', 'invoice.pdf', 'eyJ', 'How did we do', 'Hello']) expect(dataLayerText).not.toContain(personal);
  });

  const orders = {
    'library first': async (page) => {
      await addScript(page, DROP_IN);
      await loadBothAndChat(page);
    },
    'widget loader first, started later': async (page) => {
      await page.evaluate(() => window.kustomer.loadWidgetLoader());
      await addScript(page, DROP_IN);
      await page.evaluate(async () => {
        window.Kustomer.start({ brandId: 'b' });
        window.kustomer.deliverWidgetSdk();
        window.kustomer.loadCore();
        window.KustomerCore.init({});
        await window.kustomer.initialized();
        await window.kustomer.fullConversation('conv_abc123');
      });
    },
    'start called before the library, SDK arriving after': async (page) => {
      await page.evaluate(() => {
        window.kustomer.loadWidgetLoader();
        window.Kustomer.start({ brandId: 'b' });
      });
      await addScript(page, DROP_IN);
      await page.evaluate(async () => {
        window.kustomer.deliverWidgetSdk();
        window.kustomer.loadCore();
        window.KustomerCore.init({});
        await window.kustomer.initialized();
        await window.kustomer.fullConversation('conv_abc123');
      });
    },
    'start called before the library, SDK filling in the loader object': async (page) => {
      await page.evaluate(() => {
        window.kustomer.loadWidgetLoader();
        window.Kustomer.start({ brandId: 'b' });
      });
      await addScript(page, DROP_IN);
      await page.evaluate(async () => {
        window.kustomer.deliverWidgetSdk({ inPlace: true });
        window.kustomer.loadCore();
        window.KustomerCore.init({});
        await window.kustomer.initialized();
        // start() ran before the library and nothing announces the SDK: the bounded re-check finds it.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await window.kustomer.fullConversation('conv_abc123');
      });
    },
    'widget and core already started': async (page) => {
      await page.evaluate(async () => {
        await window.kustomer.loadStartedWidget();
        window.kustomer.loadCore();
        window.KustomerCore.init({});
        await window.kustomer.initialized();
      });
      await addScript(page, DROP_IN);
      await page.evaluate(() => window.kustomer.fullConversation('conv_abc123'));
    },
  };

  for (const [order, run] of Object.entries(orders)) {
    it(`reports the whole conversation once when loaded in the order: ${order}`, async () => {
      const page = await e2e.open(`<!doctype html>${standInScript}`);
      await standInReady(page);
      await run(page);
      expect((await layout(page)).map(({ keys, ...rest }) => rest)).toEqual(FULL_CONVERSATION);
      expect(page.pageErrors).toEqual([]);
    });
  }

  it('runs no timer and throws nothing when the widget never loads', async () => {
    const page = await e2e.open(`<!doctype html>
      <script>
        window.timerCalls = 0;
        for (const name of ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback']) {
          const original = window[name];
          window[name] = function () { window.timerCalls++; return original.apply(this, arguments); };
        }
      </script>
      <script src="${DROP_IN}"></script>`);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.timerCalls)).toBe(0);
    expect(await chatPushes(page)).toEqual([]);
    expect(await page.evaluate(() => typeof window.KustomerChatAnalytics.emit)).toBe('function');
    expect(page.pageErrors).toEqual([]);
  });

  it('lets the site report a proactive trigger with emit()', async () => {
    const page = await e2e.open(`<!doctype html><script src="${DROP_IN}"></script>`);
    await page.evaluate(() => window.KustomerChatAnalytics.emit('proactive_trigger'));
    expect((await chatPushes(page)).map((entry) => entry.chat_Action)).toEqual(['proactive trigger']);
  });

  it('drops malformed payloads without a page error or an exception in Kustomer', async () => {
    const page = await e2e.open(`<!doctype html><script src="${FULL_DROP_IN}" data-debug></script>${standInScript}`);
    await standInReady(page);
    await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.loadCore();
      window.KustomerCore.init({});
      await k.initialized();
      const junk = [null, 'text', 7, [], { conversationId: {} }, { total: 'many' }, { response: { rating: 'NaN' } }, { get conversationId() { throw new Error('getter'); } }];
      for (const payload of junk) {
        for (const name of ['onOpen', 'onConversationCreate', 'onUnread', 'onLogin']) k.fireWidget(name, payload);
        for (const name of ['onMessageSent', 'onMessageReceived', 'onSatisfactionReceived', 'onConversationEnded']) k.fireCore(name, payload);
      }
    });
    expect(page.pageErrors).toEqual([]);
    expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
    const pushes = await chatPushes(page);
    expect(pushes.every((entry) => entry.conversationId === undefined && entry.satisfactionScore === undefined)).toBe(true);
    expect(page.consoleMessages.some((message) => message.text.includes('dropped invalid conversationId'))).toBe(true);
  });

  it('stop() removes the listeners and restores window.Kustomer', async () => {
    const page = await e2e.open(`<!doctype html><script src="${DROP_IN}"></script>${standInScript}`);
    await standInReady(page);
    const result = await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      const attached = k.widgetListenerCount();
      window.KustomerChatAnalytics.stop();
      k.open();
      return { attached, after: k.widgetListenerCount(), accessor: typeof Object.getOwnPropertyDescriptor(window, 'Kustomer').get };
    });
    expect(result).toEqual({ attached: 6, after: 0, accessor: 'undefined' });
    expect(await chatPushes(page)).toEqual([]);
  });
});

describe('the lean and the full drop-in', () => {
  /** A whole conversation through one build with data-ga4 and data-debug: its pushes and its console. */
  async function chatThrough(file) {
    const page = await e2e.open(`<!doctype html><script src="${file}" data-ga4 data-debug></script>${standInScript}`);
    await standInReady(page);
    await loadBothAndChat(page);
    const events = await page.evaluate(() => window.dataLayer.map((entry) => entry.event));
    const ids = (await chatPushes(page)).map((entry) => entry.eventId);
    const consoleOf = (type) => page.consoleMessages.filter((message) => message.type === type).map((message) => message.text);
    return { page, events, ids, warnings: consoleOf('warning'), debug: consoleOf('debug') };
  }

  it('lean: pushes the listener layout only, and says once each that GA4 pushes and debug messages are in the full build', async () => {
    const lean = await chatThrough(DROP_IN);
    expect(new Set(lean.events)).toEqual(new Set(['Kustomer_Chat_Event']));
    expect([...lean.warnings].sort()).toEqual([
      '[kustomer-chat-analytics] this build has no GA4 pushes: kustomer-chat-gtm.full.min.js has them',
      '[kustomer-chat-analytics] this build has no debug messages: kustomer-chat-gtm.full.min.js has them',
    ]);
    expect(lean.debug).toEqual([]);
    expect(lean.page.pageErrors).toEqual([]);
  });

  it('full: adds the GA4-ready pushes and the debug messages, with the same event ids as the lean build', async () => {
    const [lean, full] = [await chatThrough(DROP_IN), await chatThrough(FULL_DROP_IN)];
    expect(full.events.filter((event) => event === 'Kustomer_Chat_Event')).toHaveLength(FULL_CONVERSATION.length);
    expect(full.events).toEqual(expect.arrayContaining(['chat_widget_open', 'chat_conversation_start', 'chat_rating', 'chat_conversation_end']));
    expect(full.warnings).toEqual([]);
    expect(full.debug.some((text) => text.includes('listening to the Kustomer widget'))).toBe(true);
    expect(full.ids).toHaveLength(FULL_CONVERSATION.length);
    expect(full.ids).toEqual(lean.ids.map((id, i) => (id.startsWith('k') ? id : full.ids[i])));
    expect(full.page.pageErrors).toEqual([]);
  });
});
