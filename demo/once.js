/**
 * `npm start -- --once`: plays the demo's conversation in headless Chromium by clicking its buttons, waits
 * for every destination, prints the table of what each got, and saves a screenshot of the page.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, openPage } from '../support/browser.js';
import { COLUMNS, CONVERSATION, SERVER_ACTIONS, compare, formatTable } from './report.js';

const BUTTONS = ['open', 'start', 'send', 'reply', 'rate', 'end', 'close'];
// What the demo's visitor and agent say (demo/app.js and the stand-in's payloads).
const PERSONAL = ['carol@example.com', 'Carol', 'Alice', '555 0100', 'where is my order', 'invoice.pdf'];
const DELIVERY_TIMEOUT_MS = 10_000;
// After the last expected event arrives, wait this long so a late duplicate is seen too.
const SETTLE_MS = 400;

/** The name each destination uses for each action, asked of the built library itself. */
export async function expectedNames() {
  const { ACTION_LABELS } = await import('../dist/index.js');
  const { GA4_EVENT_NAMES } = await import('../dist/gtm.js');
  const { segmentDestination } = await import('../dist/segment.js');
  const { rudderstackDestination } = await import('../dist/rudderstack.js');
  const trackedName = (makeDestination, action) => {
    let name;
    const sdk = { track: (event) => (name = event), ready: (callback) => callback() };
    makeDestination(sdk).send({ id: 'k1', action, platform: 'kustomer', timestamp: new Date().toISOString(), origin: 'site' });
    return name;
  };
  return Object.fromEntries(
    CONVERSATION.map((action) => [
      action,
      {
        dataLayer: ACTION_LABELS[action],
        segment: trackedName(segmentDestination, action),
        rudderstack: trackedName(rudderstackDestination, action),
        ga4: GA4_EVENT_NAMES[action],
      },
    ]),
  );
}

/** What reached each destination: dataLayer and GA4 pushes from the page, SDK deliveries from the server. */
async function received(page, collected) {
  const pushes = await page.evaluate(() =>
    window.dataLayer
      .filter((entry) => entry && typeof entry.event === 'string' && !entry.event.startsWith('gtm.'))
      .map(({ event, chat_Action, eventId, event_id }) => ({ event, chat_Action, eventId, event_id })),
  );
  const { segment, rudderstack, server } = collected();
  return {
    dataLayer: pushes.filter((p) => p.event === 'Kustomer_Chat_Event').map((p) => ({ name: p.chat_Action, id: p.eventId })),
    ga4: pushes.filter((p) => p.event !== 'Kustomer_Chat_Event').map((p) => ({ name: p.event, id: p.event_id })),
    segment: segment.map(({ event }) => ({ name: event.event, id: event.messageId })),
    rudderstack: rudderstack.map(({ event }) => ({ name: event.event, id: event.properties?.event_id })),
    segmentServer: server.segment.map(({ event }) => ({ name: event.event, id: event.messageId })),
    rudderstackServer: server.rudderstack.map(({ event }) => ({ name: event.event, id: event.properties?.event_id })),
    ga4Server: server.ga4.map(({ event }) => ({ name: event.name, id: event.params?.event_id })),
  };
}

async function waitForDeliveries(page, collected) {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  let got;
  do {
    got = await received(page, collected);
    const done = COLUMNS.every((column) => (got[column.key] ?? []).length >= (column.server ? SERVER_ACTIONS.length : CONVERSATION.length));
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return received(page, collected);
}

/** Resolves true when every destination got every action exactly once and the page kept to 127.0.0.1. */
export async function runOnce({ url, collected, screenshot, log = console.log }) {
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, null);
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.goto(url);
    await page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });
    for (const id of BUTTONS) await page.click(`#${id}`);

    const report = compare(await expectedNames(), await waitForDeliveries(page, collected));
    log(formatTable(report));

    // The conversation's text, names and email are on the page: none of it may reach a destination.
    const delivered = JSON.stringify([collected(), await page.evaluate(() => window.dataLayer)]);
    const leaked = PERSONAL.filter((text) => delivered.includes(text));
    for (const text of leaked) log(`FAILED: "${text}" reached a destination`);

    // The screenshot shows the panel complete: wait until it shows what the destinations got.
    await page
      .waitForFunction(
        (n) => ['dataLayer', 'segment', 'rudderstack', 'ga4'].every((c) => document.getElementById(`cards-${c}`).children.length >= n),
        CONVERSATION.length,
        { timeout: 3000 },
      )
      .catch(() => log('note: the panel did not show every event before the screenshot'));
    await page.waitForTimeout(1300); // let the "new" highlight fade
    await mkdir(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`screenshot: ${path.relative(process.cwd(), screenshot) || screenshot}`);

    const offsite = page.requestUrls.filter((u) => !['127.0.0.1', 'localhost'].includes(new URL(u).hostname));
    for (const u of offsite) log(`FAILED: the page contacted ${u}`);
    for (const error of page.pageErrors) log(`FAILED: page error: ${error.message}`);
    const consoleErrors = page.consoleMessages.filter((message) => message.type === 'error');
    for (const message of consoleErrors) log(`FAILED: console error: ${message.text}`);
    return report.ok && leaked.length === 0 && offsite.length === 0 && page.pageErrors.length === 0 && consoleErrors.length === 0;
  } finally {
    await browser.close();
  }
}
