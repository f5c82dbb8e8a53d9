// Following the live SDK behind a snippet's stub, in jsdom with stubs built like the vendors' snippets
// (test/fixtures/snippets/). The same paths run with the real snippets and SDKs in test/e2e/snippets.test.js.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker, type Destination } from '../../core/tracker';
import { kustomerChatPlugin, segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { fakePage } from '../support/fake-page.js';

const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  delete (globalThis as { window?: unknown }).window;
  vi.useRealTimers();
});

/** A page whose window is also the global one, as in a browser (destinations look their SDK up there). */
function page() {
  const { window, kustomer } = fakePage();
  (globalThis as { window?: unknown }).window = window;
  return Object.assign(window as unknown as Window & Record<string, unknown>, { kustomer });
}

function start(destinations: Destination[], debug?: (message: string) => void) {
  const tracker = createChatTracker({ destinations, debug, sessionMemory: false }).start();
  stops.push(() => tracker.stop());
  return tracker;
}

/** A loaded SDK: `ready` calls back at once, as a loaded RudderStack does. */
function loadedSdk() {
  const calls: unknown[][] = [];
  return { calls, track: (...args: unknown[]) => void calls.push(args), ready: (callback: () => void) => callback() };
}

/** A stub like RudderStack's loading snippet 3.0: an array whose methods only push to it. */
function snippetStub() {
  const calls: unknown[][] = [];
  const methods = ['ready', 'track', 'load'].map((method) => [method, (...args: unknown[]) => void calls.push([method, ...args])]);
  return Object.assign(calls, Object.fromEntries(methods) as Record<string, (...args: unknown[]) => void>);
}

describe('a late SDK whose ready() calls back at once', () => {
  it('delivers what waited and the new event once each, with nothing counted as failed', () => {
    const win = page();
    const messages: string[] = [];
    const tracker = start([rudderstackDestination()], (message) => messages.push(message));
    tracker.emit('chat_opened');
    tracker.emit('chat_closed');
    const sdk = loadedSdk();
    win.rudderanalytics = sdk;
    tracker.emit('chat_opened');
    expect(sdk.calls.map((call) => call[0])).toEqual(['Live Chat Opened', 'Live Chat Closed', 'Live Chat Opened']);
    expect(tracker.stats().destinations.rudderstack).toMatchObject({ delivered: 3, buffered: 0, failed: 0 });
    expect(messages.filter((m) => m.includes('failed'))).toEqual([]);
  });
});

describe('a snippet stub replaced by the SDK', () => {
  it('never sends into the stub from a ready callback that fires before the global is replaced', async () => {
    vi.useFakeTimers();
    const win = page();
    const stub = snippetStub();
    win.rudderanalytics = stub;
    const tracker = start([rudderstackDestination(win.rudderanalytics as never)]);
    tracker.emit('chat_opened');
    expect(tracker.stats().destinations.rudderstack).toMatchObject({ buffered: 1, delivered: 0 });

    // What RudderStack's constructor does with a synchronous getSourceConfig: it replays the stub's queued
    // `ready` calls, then replaces the global.
    const sdk = loadedSdk();
    for (const [method, callback] of stub.splice(0)) if (method === 'ready') (callback as () => void)();
    win.rudderanalytics = sdk;
    expect([...stub]).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sdk.calls.map((call) => call[0])).toEqual(['Live Chat Opened']);
    expect([...stub]).toEqual([]);
    expect(tracker.stats().destinations.rudderstack).toMatchObject({ buffered: 0, delivered: 1, failed: 0 });
  });

  it('is one Segment with the instance that replaces it, for a plugin loaded into that instance', async () => {
    const win = page();
    win.analytics = snippetStub();
    const tracker = start([segmentDestination(win.analytics as never)]);
    const analytics = loadedSdk();
    win.analytics = analytics;
    const plugin = kustomerChatPlugin();
    await plugin.load({} as never, analytics as never);
    stops.push(() => void plugin.unload?.({} as never, analytics as never));
    tracker.emit('message_sent', { id: 'e1', conversationId: 'c1' });
    expect(analytics.calls).toHaveLength(1);
    expect(tracker.stats().destinations.segment.delivered + plugin.stats().destinations.segment.duplicates).toBe(1);
  });
});

describe('kustomerChatPlugin().stats()', () => {
  it('counts before Segment loads the plugin and after', async () => {
    const { kustomer } = page();
    const plugin = kustomerChatPlugin({ sessionMemory: false });
    expect(plugin.stats()).toMatchObject({ received: 0, destinations: { segment: { delivered: 0, buffered: 0 } } });
    const analytics = loadedSdk();
    await plugin.load({} as never, analytics as never);
    stops.push(() => void plugin.unload?.({} as never, analytics as never));
    await kustomer.loadStartedWidgetAndCore();
    kustomer.fullConversationNow('conv_1');
    expect(analytics.calls).toHaveLength(8);
    expect(plugin.stats()).toMatchObject({ received: 8, destinations: { segment: { delivered: 8, buffered: 0, failed: 0 } } });
  });
});
