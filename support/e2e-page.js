/**
 * Shared set-up for end-to-end tests: one Chromium and one local server per test file, the repository root
 * served statically (so pages load the built `dist/` files and the Kustomer stand-in), and helpers to drive
 * the stand-in from a test.
 */
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.js';
import { launchBrowser, openPage } from './browser.js';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export async function startE2e() {
  const [collector, browser] = await Promise.all([startCollector({ staticRoot: repoRoot }), launchBrowser()]);
  let pageCount = 0;
  return {
    collector,
    browser,
    /** Opens `html` (served at a fresh path) in a fresh browser context. */
    async open(html, { headers } = {}) {
      const path = `/page-${++pageCount}.html`;
      collector.page(path, html, headers);
      return openPage(browser, collector.url + path);
    },
    async close() {
      await Promise.all([browser.close(), collector.close()]);
    },
  };
}

/** A module script that installs the stand-in as `window.kustomer`; modules run after classic scripts. */
export const standInScript = `<script type="module">
  import { installKustomerStandIn } from '/support/kustomer-stand-in.js';
  window.kustomer = installKustomerStandIn(window);
  window.dispatchEvent(new Event('stand-in-ready'));
</script>`;

/** Resolves when the stand-in is installed (after window load at the latest). */
export function standInReady(page) {
  return page.waitForFunction(() => Boolean(window.kustomer));
}

/** Adds a classic script at run time, like a GTM Custom HTML tag does, and waits for it to run. */
export function addScript(page, src) {
  return page.evaluate(
    (url) =>
      new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = url;
        script.onload = resolve;
        script.onerror = () => reject(new Error(`failed to load ${url}`));
        document.head.appendChild(script);
      }),
    src,
  );
}

/** The `chat_Action` labels of the stand-in's whole conversation, in order (the drop-in's default layout). */
export const FULL_CONVERSATION_LABELS = [
  'chat opened',
  'conversation started',
  'message sent',
  'message received',
  'satisfaction requested',
  'satisfaction submitted',
  'conversation ended',
  'chat closed',
];

/** The same conversation as Segment's and RudderStack's Live Chat event names, in order. */
export const FULL_CONVERSATION_EVENT_NAMES = [
  'Live Chat Opened',
  'Live Chat Conversation Started',
  'Live Chat Message Sent',
  'Live Chat Message Received',
  'Live Chat Satisfaction Requested',
  'Live Chat Satisfaction Submitted',
  'Live Chat Conversation Ended',
  'Live Chat Closed',
];

/** The widget and the headless core load and start, then the whole conversation takes place. */
export async function loadBothAndChat(page, conversationId = 'conv_abc123') {
  await page.evaluate(async (id) => {
    await window.kustomer.loadStartedWidgetAndCore();
    await window.kustomer.fullConversation(id);
  }, conversationId);
}

/** The chat entries of the page's dataLayer, in order. */
export function chatPushes(page, eventName = 'Kustomer_Chat_Event') {
  return page.evaluate((name) => (window.dataLayer || []).filter((entry) => entry.event === name), eventName);
}
