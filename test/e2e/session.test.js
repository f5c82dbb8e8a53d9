import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { rudderLoadSnippet, segmentLoadSnippet } from '../../support/sdk-setup.js';

let e2e;
beforeAll(async () => {
  await buildSdkBundles();
  e2e = await startE2e();
});
afterAll(() => e2e?.close());

/** A shop page: real Segment and RudderStack, one tracker to dataLayer, GA4, Segment and RudderStack. */
function shopPage(collectorUrl) {
  return `<!doctype html>
<script>document.cookie = '_ga=GA1.1.1234567890.1700000000; path=/';</script>
<script src="/test/.cache/sdks/sdks.js"></script>
<script>${segmentLoadSnippet(collectorUrl)}\n${rudderLoadSnippet(collectorUrl)}</script>
<script type="module">
  import { createChatTracker, identityStitching } from '/dist/index.js';
  import { gtmDataLayer } from '/dist/gtm.js';
  import { segmentDestination } from '/dist/segment.js';
  import { rudderstackDestination } from '/dist/rudderstack.js';
  // A component that mounts the tracker; the page can mount it again without unmounting (a re-mount).
  window.mountTracker = () =>
    createChatTracker({
      destinations: [gtmDataLayer({ ga4: true }), segmentDestination(), rudderstackDestination()],
      stitchIdentities: identityStitching(),
    }).start();
  window.mountTracker();
</script>
${standInScript}`;
}

async function openShop(page) {
  await standInReady(page);
  await page.waitForFunction(() => typeof window.mountTracker === 'function');
  await page.evaluate(async () => {
    await Promise.all([window.analytics, window.rudderanalyticsReady]);
    await window.kustomer.loadStartedWidget();
  });
}

/** Events POSTed to exactly `path` (Segment's /v1/t is a prefix of RudderStack's /v1/track). */
const eventsAt = (collector, path) => collector.requests.filter((request) => request.path === path).map((request) => request.body);
const named = (collector, path, name) => eventsAt(collector, path).filter((event) => event.event === name);

describe('a two-page visit in real Chromium', () => {
  it('reports a conversation restored on page 2 once per destination, with one event_id everywhere', async () => {
    const html = shopPage(e2e.collector.url);
    e2e.collector.page('/shop/one.html', html);
    e2e.collector.page('/shop/two.html', html);
    const page = await e2e.open('<!doctype html>');
    await page.goto(`${e2e.collector.url}/shop/one.html`);
    await openShop(page);
    await page.evaluate(() => window.kustomer.startConversation('conv_restore'));
    const pageOne = await page.evaluate(() => window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event' || entry.event === 'chat_conversation_start'));
    const described = await page.evaluate(() => window.kustomer.state.describedConversations);
    const segmentAnonymousId = await page.evaluate(() => window.analytics.instance.user().anonymousId());

    await page.goto(`${e2e.collector.url}/shop/two.html`);
    await openShop(page);
    // The widget restores its state on the new page, and a component mounts a second tracker.
    await page.evaluate(() => {
      window.kustomer.startConversation('conv_restore');
      window.mountTracker();
      window.kustomer.startConversation('conv_restore');
      window.kustomer.open();
    });
    const pageTwo = await page.evaluate(() => window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event'));
    await e2e.collector.waitFor(() => named(e2e.collector, '/v1/t', 'Live Chat Opened').length || null, 10_000);
    await e2e.collector.waitFor(() => named(e2e.collector, '/v1/track', 'Live Chat Opened').length || null, 10_000);

    expect(pageOne.map((entry) => entry.event)).toEqual(['Kustomer_Chat_Event', 'chat_conversation_start']);
    const eventId = pageOne[0].eventId;
    expect(pageOne[1].event_id).toBe(eventId);
    expect(pageTwo.map((entry) => entry.chat_Action)).toEqual(['chat opened']);
    const segment = named(e2e.collector, '/v1/t', 'Live Chat Conversation Started');
    const rudder = named(e2e.collector, '/v1/track', 'Live Chat Conversation Started');
    expect(segment).toHaveLength(1);
    expect(rudder).toHaveLength(1);
    expect(segment[0]).toMatchObject({ messageId: eventId, properties: { event_id: eventId, conversation_id: 'conv_restore' } });
    expect(rudder[0].properties).toMatchObject({ event_id: eventId, conversation_id: 'conv_restore' });
    // The re-mounted tracker sent nothing twice either.
    expect(named(e2e.collector, '/v1/t', 'Live Chat Opened')).toHaveLength(1);
    expect(named(e2e.collector, '/v1/track', 'Live Chat Opened')).toHaveLength(1);
    // Stitching: the conversation got the Segment anonymous id and the GA client id.
    expect(described).toEqual([
      {
        conversationId: 'conv_restore',
        customAttributes: expect.objectContaining({ segmentAnonymousIdStr: segmentAnonymousId, gaClientIdStr: '1234567890.1700000000' }),
      },
    ]);
    expect(page.pageErrors).toEqual([]);
  });
});
