/**
 * A fresh jsdom window per test, with the Kustomer stand-in and a destination that records what it is sent.
 * Core behaviour is tested here, fast; the same behaviour runs again in real Chromium under test/e2e.
 */
import { JSDOM } from 'jsdom';
import { installKustomerStandIn } from '../../support/kustomer-stand-in.js';

/** `initDelayMs`: how long Kustomer's start/init takes before calling back (default: almost at once). */
export function fakePage({ initDelayMs = 1 } = {}) {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://shop.test/' });
  return { window, kustomer: installKustomerStandIn(window, { initDelayMs }) };
}

/** Waits `ms` of real time: for what only the bounded re-check can notice. */
export const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** @typedef {import('../../core/schema').ChatEvent} ChatEvent */

/** A Destination that keeps every event it is sent; `ready` and `fail` switch its behaviour. */
export function recordingDestination(name = 'recorder', { ready = true, fail = false } = {}) {
  const destination = {
    name,
    /** @type {ChatEvent[]} */
    events: [],
    ready,
    fail,
    /** @type {(() => void) | undefined} what the tracker gave `onReady`: call it to deliver what is buffered */
    flush: undefined,
    isReady: () => destination.ready,
    /** @param {() => void} flush */
    onReady(flush) {
      destination.flush = flush;
    },
    /** @param {ChatEvent} event */
    send(event) {
      if (destination.fail) throw new Error(`${name} is down`);
      destination.events.push(event);
    },
    actions: () => destination.events.map((event) => event.action),
  };
  return destination;
}

/**
 * A page where the widget and the headless core have started, made the global window too (destinations look
 * `dataLayer`, `gtag`, ... up there): delete `globalThis.window` after the test. `chat(times)` runs whole
 * conversations with new ids (synchronously) and returns how many events they make (8 each).
 */
export async function startedChatPage() {
  const page = fakePage();
  globalThis.window = page.window;
  await page.kustomer.loadStartedWidgetAndCore();
  let conversations = 0;
  return {
    page,
    win: page.window,
    k: page.kustomer,
    chat(times = 1) {
      for (let i = 0; i < times; i++) page.kustomer.fullConversationNow(`conv_${++conversations}`);
      return times * 8;
    },
  };
}
