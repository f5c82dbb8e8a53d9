// docs/extending.md's Amplitude destination, as written there, runs here: its first code block is taken from the
// Markdown, pointed at this repository's core instead of the installed package, and fed a whole conversation by
// the Kustomer stand-in. (test/build/docs-code.test.js compiles the same block against the built package.)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatTracker, type Destination } from '../../core/tracker';
import { identityStitching } from '../../core/stitch';
import { fakePage } from '../support/fake-page.js';
import { FULL_CONVERSATION_ACTIONS } from '../../support/kustomer-stand-in.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

/** The doc's first ```ts block, written as a module that imports core/index.ts for 'kustomer-chat-analytics'. */
async function loadDocExample() {
  const doc = readFileSync(path.join(root, 'docs/extending.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!code) throw new Error('docs/extending.md has no ts block');
  const dir = path.join(root, 'test/.cache/extending');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'amplitude-destination.ts');
  writeFileSync(file, code.replace(/from 'kustomer-chat-analytics'/g, `from ${JSON.stringify(path.join(root, 'core/index.ts'))}`));
  return (await import(/* @vite-ignore */ file)) as { amplitudeDestination(amplitude: unknown): Destination };
}

/**
 * Amplitude's Browser SDK 2 as the destination uses it: `track(eventType, eventProperties, eventOptions)` with
 * `time` and `insert_id`, `getDeviceId()` and `getUserId()`
 * (https://amplitude.com/docs/sdks/analytics/browser/browser-sdk-2/reference).
 */
function amplitudeStandIn() {
  const calls: Array<{ eventType: string; eventProperties: Record<string, unknown>; eventOptions: { time: number; insert_id: string } }> = [];
  return {
    calls,
    track(eventType: string, eventProperties: Record<string, unknown>, eventOptions: { time: number; insert_id: string }) {
      calls.push({ eventType, eventProperties, eventOptions });
      return { promise: Promise.resolve({ code: 200 }) };
    },
    getDeviceId: () => 'device-1234',
    getUserId: () => undefined,
  };
}

describe('docs/extending.md: the Amplitude destination', () => {
  it('sends a whole conversation to Amplitude once per event, with its id as insert_id, and stitches the device id', async () => {
    const { amplitudeDestination } = await loadDocExample();
    const page = fakePage();
    const amplitude = amplitudeStandIn();
    const tracker = createChatTracker({
      destinations: [amplitudeDestination(amplitude)],
      window: page.window as unknown as Window,
      sessionMemory: false,
      stitchIdentities: identityStitching(),
    }).start();
    stops.push(() => tracker.stop());
    await page.kustomer.loadStartedWidgetAndCore();
    page.kustomer.fullConversationNow('conv_1');

    const eventTypes = amplitude.calls.map((call) => call.eventType);
    expect(eventTypes).toEqual(FULL_CONVERSATION_ACTIONS.map((action) => `Kustomer ${action.replace(/_/g, ' ')}`));
    // The names the doc's comment promises are the names the example sends (it once promised `Chat conversation
    // started` and sent `Chat chat opened`).
    const promised = [...readFileSync(path.join(root, 'docs/extending.md'), 'utf8').matchAll(/`(Kustomer [a-z ]+)`/g)].map((m) => m[1]);
    expect(promised.length).toBeGreaterThan(1);
    expect(promised.filter((name) => !eventTypes.includes(name))).toEqual([]);
    expect(eventTypes.filter((name) => /\b(\w+) \1\b/i.test(name))).toEqual([]);
    const insertIds = amplitude.calls.map((call) => call.eventOptions.insert_id);
    expect(new Set(insertIds).size).toBe(insertIds.length);
    expect(amplitude.calls[1]).toMatchObject({ eventProperties: { conversation_id: 'conv_1' } });
    expect(amplitude.calls.every((call) => Number.isFinite(call.eventOptions.time))).toBe(true);
    expect(tracker.stats().destinations.amplitude).toMatchObject({ delivered: FULL_CONVERSATION_ACTIONS.length, failed: 0 });
    expect(page.kustomer.state.describedConversations).toEqual([{ conversationId: 'conv_1', customAttributes: { amplitudeDeviceIdStr: 'device-1234' } }]);
  });
});
