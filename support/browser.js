/**
 * Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
 *
 *   const browser = await launchBrowser()          // throws a one-line hint if chromium is missing
 *   const page = await openPage(browser, url)      // fresh context per page (clean storage/cookies)
 *   page.pageErrors        // Error[] from uncaught exceptions (page.on('pageerror'))
 *   page.consoleMessages   // { type, text }[] from console.* calls
 *   page.requestUrls       // string[] of every request URL the page made (incl. sub-resources)
 *   await page.context().close(); await browser.close()
 *
 * openPage(browser, url, { waitUntil }) — waitUntil defaults to 'load'.
 * Pass url = null to get a page without navigating (e.g. to add listeners first).
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      'Chromium not found at /usr/bin/chromium: run `apt-get install -y chromium` (or `npm test`, which installs it)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function openPage(browser, url, { waitUntil = 'load' } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.pageErrors = [];
  page.consoleMessages = [];
  page.requestUrls = [];
  page.on('pageerror', (err) => page.pageErrors.push(err));
  page.on('console', (msg) => page.consoleMessages.push({ type: msg.type(), text: msg.text() }));
  page.on('request', (req) => page.requestUrls.push(req.url()));
  if (url) await page.goto(url, { waitUntil });
  return page;
}
