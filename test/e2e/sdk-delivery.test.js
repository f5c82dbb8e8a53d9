// Proof that the e2e infrastructure works: the REAL Segment and RudderStack SDKs,
// in real headless Chromium, deliver events to the local collector and nowhere else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector } from '../../support/collector.js';
import { launchBrowser, openPage } from '../../support/browser.js';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { RUDDER_WRITE_KEY, SEGMENT_WRITE_KEY, sdkPageHtml } from '../../support/sdk-setup.js';

let collector;
let browser;
let page;

beforeAll(async () => {
  const { outDir } = await buildSdkBundles();
  collector = await startCollector({ staticRoot: outDir });
  browser = await launchBrowser();
  collector.page('/sdk.html', sdkPageHtml(collector.url));
  page = await openPage(browser, `${collector.url}/sdk.html`);
  await page.evaluate(() => Promise.all([window.analytics, window.rudderanalyticsReady]).then(() => true));
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

async function timeDelivery(prefix, send) {
  const start = Date.now();
  await page.evaluate(send);
  const [event] = await collector.waitFor(() => {
    const found = collector.events(prefix).filter((e) => e.event === 'Live Chat Opened');
    return found.length ? found : null;
  }, 10_000);
  return { event, ms: Date.now() - start };
}

describe('real SDKs deliver to the local collector', () => {
  it('Segment: track() POSTs the event to /v1/t', async () => {
    const { event, ms } = await timeDelivery('/v1/t', () => {
      window.analytics.track(
        'Live Chat Opened',
        { platform: 'kustomer' },
        { messageId: 'abc-1', context: { integration: { name: 'kustomer-chat-analytics', version: '0.0.0-test' } } },
      );
    });
    console.log(`Segment delivery: ${ms} ms`);
    expect(event).toMatchObject({
      type: 'track',
      event: 'Live Chat Opened',
      properties: { platform: 'kustomer' },
      messageId: 'abc-1',
      writeKey: SEGMENT_WRITE_KEY,
      context: { integration: { name: 'kustomer-chat-analytics', version: '0.0.0-test' } },
    });
    expect(collector.events('/v1/t').filter((e) => e.messageId === 'abc-1')).toHaveLength(1);
  });

  it('RudderStack: track() POSTs the event to /v1/track', async () => {
    const { event, ms } = await timeDelivery('/v1/track', () => {
      window.rudderanalytics.track('Live Chat Opened', { platform: 'kustomer', event_id: 'abc-1' });
    });
    console.log(`RudderStack delivery: ${ms} ms`);
    expect(event).toMatchObject({
      type: 'track',
      event: 'Live Chat Opened',
      properties: { platform: 'kustomer', event_id: 'abc-1' },
    });
    const [req] = collector.batchesFor('/v1/track');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${RUDDER_WRITE_KEY}:`).toString('base64')}`);
    expect(collector.events('/v1/track')).toHaveLength(1);
  });

  it('the page had no errors and talked only to the collector', async () => {
    await new Promise((r) => setTimeout(r, 300)); // let any stray late request show up
    expect(page.pageErrors).toEqual([]);
    expect(page.consoleMessages.filter((m) => m.type === 'error')).toEqual([]);
    expect(page.requestUrls.filter((u) => new URL(u).hostname !== '127.0.0.1')).toEqual([]);
    const paths = collector.requests.map((r) => r.path);
    expect(paths.sort()).toEqual(['/v1/t', '/v1/track']);
  });
});
