// Issue 11 in real Chromium: the drop-in (and createChatTracker with the real Segment SDK) against the strict
// Kustomer stand-in, in the load orders and with the unkind SDK and page behaviours real sites show. Each case
// asserts every event once, the site's own Kustomer listener still working, and no page error.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { segmentLoadSnippet } from '../../support/sdk-setup.js';
import { FULL_CONVERSATION_EVENT_NAMES, addScript, chatPushes, repoRoot, standInReady, startE2e } from '../../support/e2e-page.js';

const DROP_IN = '/dist/kustomer-chat-gtm.min.js';
const SLOW_START_MS = 500;
const SEGMENT = '/v1/t';

let e2e;
let sdkBundleUrl;
let page;
beforeAll(async () => {
  const [{ file }, started] = await Promise.all([buildSdkBundles(), startE2e()]);
  e2e = started;
  sdkBundleUrl = '/' + path.relative(repoRoot, file).split(path.sep).join('/');
});
afterAll(() => e2e?.close());
beforeEach(() => e2e.collector.reset());
afterEach(() => page?.context().close());

/** The stand-in with a start/init that takes `initDelayMs`, installed as `window.kustomer`. */
const standIn = (initDelayMs = SLOW_START_MS) => `<script type="module">
  import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
  window.kustomer = installKustomerStandIn(window, { initDelayMs: ${initDelayMs} });
</script>`;

async function open(head = '') {
  page = await e2e.open(`<!doctype html><meta charset="utf-8">${head}${standIn()}`);
  await standInReady(page);
  return page;
}

const actions = async (p = page) => (await chatPushes(p)).map((entry) => entry.chat_Action);
const wait = (ms) => page.waitForTimeout(ms);

/** No page error, no exception into Kustomer's callbacks. */
async function expectClean() {
  expect(page.pageErrors).toEqual([]);
  expect(await page.evaluate(() => window.kustomer.state.listenerErrors.length)).toBe(0);
}

/**
 * The page loads the widget and calls start() with a callback that adds the site's own onOpen listener; the SDK
 * arrives `how`; the analytics tag (`addTag`) runs 100 ms into the 500 ms start.
 */
async function tagDuringStart({ how = 'assign', deliver = {}, addTag }) {
  await page.evaluate(
    ({ how, deliver }) => {
      const k = window.kustomer;
      window.siteOpens = 0;
      k.loadWidgetLoader();
      window.Kustomer.start({ brandId: 'b' }, () => window.Kustomer.addListener('onOpen', () => window.siteOpens++));
      k.deliverWidgetSdk({ how, ...deliver });
    },
    { how, deliver },
  );
  await wait(100);
  await addTag();
  await page.evaluate(() => window.kustomer.initialized());
  await wait(1000); // "from one second after start's callback on"
  await page.evaluate(() => {
    const k = window.kustomer;
    k.open();
    k.startConversation('conv_1');
    k.close();
  });
}

const THREE = ['chat opened', 'conversation started', 'chat closed'];

/** Widget and core load and start (slowly), then the stand-in's whole conversation. */
const wholeChatAfterSlowStart = () =>
  page.evaluate(async () => {
    const k = window.kustomer;
    k.loadWidgetLoader();
    window.Kustomer.start({ brandId: 'b' });
    k.deliverWidgetSdk();
    k.loadCore();
    window.KustomerCore.init({ brandId: 'b' });
    await k.initialized();
    await k.fullConversation('conv_1');
  });

describe('the drop-in when a tag fires during a 500 ms start()', () => {
  const cases = {
    'the SDK replaces the loader': { how: 'assign' },
    'the SDK replaces the loader with Object.defineProperty': { how: 'defineProperty' },
    'the SDK deletes and re-creates window.Kustomer': { how: 'recreate' },
    'the SDK fills in the loader, skipping keys it has': { how: 'inPlaceSkipExisting' },
    'the SDK takes listeners early and its removeListener does nothing': { deliver: { acceptEarlyListeners: true, removeListenerWorks: false } },
    'the SDK object is frozen': { deliver: { freeze: true } },
  };
  for (const [name, options] of Object.entries(cases)) {
    it(`reports open, conversation started and close once each when ${name}`, async () => {
      await open();
      await tagDuringStart({ ...options, addTag: () => addScript(page, DROP_IN) });
      expect(await actions()).toEqual(THREE);
      expect(await page.evaluate(() => window.siteOpens)).toBe(1);
      await expectClean();
    });
  }

  const pages = {
    'the page declares var Kustomer': '<script>var Kustomer;</script>',
    "another script's accessor on window.Kustomer does not chain": `<script>
      (function () { var value; Object.defineProperty(window, 'Kustomer', { configurable: true, enumerable: true, get: function () { return value; }, set: function (v) { value = v; } }); })();
    </script>`,
    'the loader and its start are frozen': `<script>
      window.addEventListener('kustomerLoaded', function () { Object.freeze(window.Kustomer); });
    </script>`,
  };
  for (const [name, head] of Object.entries(pages)) {
    it(`reports open, conversation started and close once each when ${name}`, async () => {
      await open(head);
      await tagDuringStart({ addTag: () => addScript(page, DROP_IN) });
      expect(await actions()).toEqual(THREE);
      expect(await page.evaluate(() => window.siteOpens)).toBe(1);
      await expectClean();
    });
  }
});

describe('the drop-in loaded before a slow start()', () => {
  it('reports every event of a whole conversation once', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    await wholeChatAfterSlowStart();
    expect(await actions()).toEqual(['chat opened', 'conversation started', 'message sent', 'message received', 'satisfaction requested', 'satisfaction submitted', 'conversation ended', 'chat closed']);
    await expectClean();
  });
});

describe('the drop-in on a headless-core site', () => {
  it('reports the form as requested and the submitted rating 4 once, and the site gets its response', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    const answer = await page.evaluate(async () => {
      const k = window.kustomer;
      k.loadCore();
      window.KustomerCore.init({ brandId: 'b' });
      await k.initialized();
      return k.rate('conv_1', 4);
    });
    expect(answer.response.response.rating).toBe(4);
    const pushes = await chatPushes(page);
    expect(pushes.map((entry) => [entry.chat_Action, entry.satisfactionScore])).toEqual([
      ['satisfaction requested', undefined],
      ['satisfaction submitted', 4],
    ]);
    const everything = JSON.stringify(await page.evaluate(() => window.dataLayer));
    for (const text of ['Alice', '555', 'How did we do', 'Post-chat survey']) expect(everything).not.toContain(text);
    await expectClean();
  });

  it('reports a bot hand-off, an end, a reopen and the next end', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    await page.evaluate(async () => {
      const k = window.kustomer;
      k.loadCore();
      window.KustomerCore.init({ brandId: 'b' });
      await k.initialized();
      k.assistantHandsOver('conv_1');
      k.endConversation('conv_1');
      k.reopenConversation('conv_1');
      k.endConversation('conv_1');
    });
    expect(await actions()).toEqual(['assistant ended', 'conversation ended', 'conversation reopened', 'conversation ended']);
    await expectClean();
  });

  it('reports widget unread rises when core.js is present but never initialised; a rise of 3 is 3', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.loadCore();
      await new Promise((resolve) => setTimeout(resolve, 50));
      k.fireWidget('onUnread', { total: 3, change: { conversationId: 'conv_1' } });
    });
    const pushes = await chatPushes(page);
    expect(pushes.map((entry) => entry.chat_Action)).toEqual(Array(3).fill('message received'));
    expect(new Set(pushes.map((entry) => entry.eventId)).size).toBe(3);
    await expectClean();
  });
});

describe('the drop-in among other scripts', () => {
  it('is not switched off by an element with id KustomerChatAnalytics', async () => {
    await open(`<div id="KustomerChatAnalytics"></div><script src="${DROP_IN}"></script>`);
    await page.evaluate(async () => {
      await window.kustomer.loadStartedWidget();
      window.kustomer.open();
    });
    expect(await actions()).toEqual(['chat opened']);
    expect(await page.evaluate(() => typeof window.KustomerChatAnalytics.stats)).toBe('function');
    await expectClean();
  });

  it('pushes each event once when a second copy of the library (the npm build) tracks into the same dataLayer', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    // A string, so that the test runner leaves the page's own import() alone.
    await page.evaluate(`Promise.all([import('/dist/index.js'), import('/dist/gtm.js')]).then(([core, gtm]) => {
      window.second = core.createChatTracker({ destinations: [gtm.gtmDataLayer()] }).start();
    })`);
    await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.open();
      k.startConversation('conv_1');
      k.close();
    });
    expect(await actions()).toEqual(THREE);
    await expectClean();
  });

  for (const [name, script] of Object.entries({
    'Symbol.for is missing': '<script>Symbol.for = undefined;</script>',
    'Object.defineProperty throws': `<script>(function () { var define = Object.defineProperty; Object.defineProperty = function (o, k, d) { if (o === window) throw new TypeError('refused'); return define(o, k, d); }; })();</script>`,
  })) {
    it(`reports every event once and throws nothing into the page when ${name}`, async () => {
      await open(`${script}<script src="${DROP_IN}"></script>`);
      await tagDuringStart({ addTag: async () => {} });
      expect(await actions()).toEqual(THREE);
      await expectClean();
    });
  }
});

describe('the drop-in with unkind payloads and storage', () => {
  it('keeps an event whose second argument is truthy but not an Error, and drops one with an Error', async () => {
    await open(`<script src="${DROP_IN}"></script>`);
    await page.evaluate(async () => {
      const k = window.kustomer;
      await k.loadStartedWidget();
      k.fireWidget('onConversationCreate', { conversationId: 'conv_1', createdAt: new Date().toISOString() }, { status: 'ok' });
      k.fireWidget('onOpen', undefined, new Error('Kustomer failed'));
    });
    expect(await actions()).toEqual(['conversation started']);
    await expectClean();
  });

  it('gives two different agent messages on two pages different ids when sessionStorage is blocked', async () => {
    const blocked = `<script>Object.defineProperty(window, 'sessionStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });</script>`;
    const ids = [];
    for (let n = 0; n < 2; n++) {
      await open(`${blocked}<script src="${DROP_IN}"></script>`);
      await page.evaluate(async () => {
        const k = window.kustomer;
        await k.loadStartedWidget();
        k.agentReplies('conv_1');
      });
      const pushes = await chatPushes(page);
      expect(pushes.map((entry) => entry.chat_Action)).toEqual(['message received']);
      ids.push(pushes[0].eventId);
      await expectClean();
      await page.context().close();
    }
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('createChatTracker with the real Segment SDK', () => {
  async function openWithSegment() {
    page = await e2e.open(`<!doctype html><meta charset="utf-8">
      <script src="${sdkBundleUrl}"></script>
      <script>${segmentLoadSnippet(e2e.collector.url)}</script>
      ${standIn()}`);
    await standInReady(page);
    return page;
  }
  const trackSegment = () =>
    page.evaluate(`Promise.all([import('/dist/index.js'), import('/dist/segment.js')]).then(([core, segment]) => {
      window.tracker = core.createChatTracker({ destinations: [segment.segmentDestination(window.analytics)] }).start();
    })`);
  const segmentEvents = async (count) => {
    await e2e.collector.waitFor(() => e2e.collector.requests.filter((r) => r.path === SEGMENT).length >= count, 10_000);
    await wait(300); // an extra event would show up by now
    return e2e.collector.requests.filter((r) => r.path === SEGMENT).map((r) => r.body);
  };

  it('reports open, conversation started and close once each when it starts during a 500 ms start()', async () => {
    await openWithSegment();
    await tagDuringStart({ how: 'defineProperty', addTag: trackSegment });
    // Segment sends each event in its own request: they may arrive in any order.
    expect((await segmentEvents(3)).map((body) => body.event).sort()).toEqual(['Live Chat Closed', 'Live Chat Conversation Started', 'Live Chat Opened']);
    expect((await page.evaluate(() => window.tracker.stats())).destinations.segment.delivered).toBe(3);
    await expectClean();
  });

  it('reports every event once when started before a slow start()', async () => {
    await openWithSegment();
    await trackSegment();
    await wholeChatAfterSlowStart();
    expect((await segmentEvents(8)).map((body) => body.event).sort()).toEqual([...FULL_CONVERSATION_EVENT_NAMES].sort());
    await expectClean();
  });

  it('reports the submitted rating 4 once on a headless-core site, with no free text', async () => {
    await openWithSegment();
    await trackSegment();
    await page.evaluate(async () => {
      const k = window.kustomer;
      k.loadCore();
      window.KustomerCore.init({ brandId: 'b' });
      await k.initialized();
      await k.rate('conv_1', 4);
    });
    const bodies = await segmentEvents(2);
    expect(bodies.map((body) => [body.event, body.properties.rating]).sort()).toEqual([
      ['Live Chat Satisfaction Requested', undefined],
      ['Live Chat Satisfaction Submitted', 4],
    ]);
    const sent = JSON.stringify(bodies);
    for (const text of ['Alice', '555', 'How did we do', 'Post-chat survey']) expect(sent).not.toContain(text);
    await expectClean();
  });

  it('writes and forwards no email when the Segment user id is one, and counts the refusal', async () => {
    await openWithSegment();
    await page.evaluate(`window.analytics.identify('jane@example.com').then(() => Promise.all([import('/dist/index.js'), import('/dist/segment.js')])).then(([core, segment]) => {
      window.tracker = core.createChatTracker({ destinations: [segment.segmentDestination(window.analytics)], stitchIdentities: core.identityStitching() }).start();
    })`);
    await page.evaluate(async () => {
      await window.kustomer.loadStartedWidget();
      window.kustomer.startConversation('conv_1');
    });
    const [started] = await segmentEvents(1);
    expect(started.event).toBe('Live Chat Conversation Started');
    // userId is Segment's own field on every call of that visitor; what the library sends holds no email.
    expect(JSON.stringify({ properties: started.properties, context: started.context.integration })).not.toContain('jane@example.com');
    const described = await page.evaluate(() => window.kustomer.state.describedConversations);
    expect(JSON.stringify(described)).not.toContain('jane@example.com');
    expect(described[0].customAttributes).toHaveProperty('segmentAnonymousIdStr');
    expect((await page.evaluate(() => window.tracker.stats())).stitchFailures).toBe(1);
    await expectClean();
  });
});
