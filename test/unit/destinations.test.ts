import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import { segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { fakePage } from '../support/fake-page.js';

const stops: Array<() => void> = [];
afterEach(() => {
  stops.splice(0).forEach((stop) => stop());
  vi.useRealTimers();
});

function fakeSdk() {
  const calls: unknown[][] = [];
  let readyCallbacks: Array<() => void> | undefined = [];
  return {
    calls,
    track: (...args: unknown[]) => calls.push(args),
    ready: (callback: () => void) => (readyCallbacks ? readyCallbacks.push(callback) : callback()),
    load() {
      readyCallbacks?.forEach((callback) => callback());
      readyCallbacks = undefined;
    },
  };
}

function start(page: ReturnType<typeof fakePage>, destinations: unknown[]) {
  const tracker = createChatTracker({ destinations: destinations as never, window: page.window as unknown as Window }).start();
  stops.push(() => tracker.stop());
  return tracker;
}

describe('Segment and RudderStack destinations', () => {
  it('deliver to each of two Segment instances, and once to an instance two trackers share', () => {
    const page = fakePage();
    const first = fakeSdk();
    const second = fakeSdk();
    [first, second].forEach((sdk) => sdk.load());
    const trackers = [start(page, [segmentDestination(first), segmentDestination(second)]), start(page, [segmentDestination(first)])];
    trackers[0].emit('message_sent', { id: 'e1' });
    trackers[1].emit('message_sent', { id: 'e1' });
    expect(first.calls).toHaveLength(1);
    expect(second.calls).toHaveLength(1);
  });

  it('send what they kept once an SDK that appeared later is ready, with no further chat event', async () => {
    vi.useFakeTimers();
    const page = fakePage();
    const globals = page.window as unknown as Record<string, unknown>;
    const tracker = start(page, [rudderstackDestination(() => globals.rudderanalytics as never)]);
    tracker.emit('chat_opened');
    tracker.emit('chat_closed');
    expect(tracker.stats().destinations.rudderstack.buffered).toBe(2);
    const sdk = fakeSdk();
    globals.rudderanalytics = sdk;
    await vi.advanceTimersByTimeAsync(1_000);
    sdk.load();
    expect(sdk.calls.map((call) => call[0])).toEqual(['Live Chat Opened', 'Live Chat Closed']);
    expect(tracker.stats().destinations.rudderstack).toMatchObject({ buffered: 0, delivered: 2 });
  });

  it('stop looking for a missing SDK when the tracker stops', async () => {
    vi.useFakeTimers();
    const page = fakePage();
    const tracker = start(page, [segmentDestination(() => undefined)]);
    tracker.emit('chat_opened');
    expect(vi.getTimerCount()).toBe(1);
    tracker.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
