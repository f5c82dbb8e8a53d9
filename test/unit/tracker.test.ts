import { afterEach, describe, expect, it } from 'vitest';
import { createChatTracker, type ConsentOptions } from '../../core/tracker';
import { fakePage, recordingDestination } from '../support/fake-page.js';

const stops: Array<() => void> = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

function tracker(destinations: ReturnType<typeof recordingDestination>[], options: Record<string, unknown> = {}) {
  const page = fakePage();
  const chatTracker = createChatTracker({ destinations, window: page.window as unknown as Window, ...options }).start();
  stops.push(() => chatTracker.stop());
  return chatTracker;
}

describe('createChatTracker()', () => {
  it('delivers every event to every destination', () => {
    const a = recordingDestination('a');
    const b = recordingDestination('b');
    const chat = tracker([a, b]);
    chat.emit('proactive_trigger');
    chat.emit('chat_opened');
    expect(a.actions()).toEqual(['proactive_trigger', 'chat_opened']);
    expect(b.events).toEqual(a.events);
  });

  it('keeps delivering to the others when one destination throws', () => {
    const broken = recordingDestination('broken', { fail: true });
    const healthy = recordingDestination('healthy');
    const chat = tracker([broken, healthy]);
    chat.emit('chat_opened');
    chat.emit('chat_closed');
    expect(healthy.actions()).toEqual(['chat_opened', 'chat_closed']);
    expect(chat.stats().destinations.broken).toMatchObject({ failed: 2, delivered: 0 });
  });

  it('buffers events for a destination that is not ready and flushes them in order when it is', () => {
    const late = recordingDestination('late', { ready: false });
    const chat = tracker([late]);
    chat.emit('chat_opened');
    chat.emit('chat_closed');
    expect(chat.stats().destinations.late.buffered).toBe(2);
    late.ready = true;
    late.flush!();
    expect(late.actions()).toEqual(['chat_opened', 'chat_closed']);
    expect(chat.stats().destinations.late).toMatchObject({ buffered: 0, delivered: 2, dropped: 0 });
  });

  it('counts what a full buffer drops, and reports it in debug', () => {
    const messages: string[] = [];
    const never = recordingDestination('never', { ready: false });
    const chat = tracker([never], { bufferSize: 3, debug: (message: string) => messages.push(message) });
    for (let i = 0; i < 5; i++) chat.emit('message_sent', { messageId: `m${i}` });
    expect(chat.stats().destinations.never).toMatchObject({ buffered: 3, dropped: 2 });
    expect(messages.filter((message) => message.includes('buffer full'))).toHaveLength(2);
    never.ready = true;
    never.flush!();
    expect(never.events.map((event) => event.messageId)).toEqual(['m2', 'm3', 'm4']);
  });

  it('delivers an event with the same id once per destination', () => {
    const a = recordingDestination('a');
    const chat = tracker([a]);
    chat.emit('message_sent', { id: 'same', messageId: 'm1' });
    chat.emit('message_sent', { id: 'same', messageId: 'm1' });
    expect(a.events).toHaveLength(1);
    expect(chat.stats().destinations.a.duplicates).toBe(1);
  });

  it('remembers at least the last 500 ids per destination for de-duplication, and at most 1,000', () => {
    const a = recordingDestination('a');
    const chat = tracker([a]);
    const send = (i: number) => chat.emit('message_sent', { id: `id${i}`, messageId: `m${i}` });
    for (let i = 0; i < 600; i++) send(i);
    for (let i = 100; i < 600; i++) send(i);
    expect(chat.stats().destinations.a).toMatchObject({ delivered: 600, duplicates: 500 });
    for (let i = 600; i < 1600; i++) send(i);
    send(0); // 1,000 newer ids since: forgotten, bounded memory
    expect(chat.stats().destinations.a).toMatchObject({ delivered: 1601, duplicates: 500 });
  });

  it('gives destinations a frozen event they cannot change for the others', () => {
    const mutating = { name: 'mutating', send: (event: { action: string }) => { event.action = 'chat_closed'; } };
    const after = recordingDestination('after');
    const chat = tracker([mutating as never, after]);
    chat.emit('chat_opened');
    expect(after.actions()).toEqual(['chat_opened']);
    expect(chat.stats().destinations.mutating.failed).toBe(1);
  });

  it('refuses unknown actions from emit()', () => {
    const a = recordingDestination('a');
    const chat = tracker([a]);
    expect(chat.emit('chat opened' as never)).toBeUndefined();
    expect(a.events).toEqual([]);
  });
});

describe('consent', () => {
  function consent(whileDenied?: 'hold' | 'drop') {
    const state = { granted: false, update: () => {} };
    const options: ConsentOptions = { granted: () => state.granted, subscribe: (update) => (state.update = update), whileDenied };
    return { state, options };
  }

  it('holds events until consent is granted', () => {
    const a = recordingDestination('a');
    const { state, options } = consent();
    const chat = tracker([a], { consent: options });
    chat.emit('chat_opened');
    expect(a.events).toEqual([]);
    expect(chat.stats().heldForConsent).toBe(1);
    state.granted = true;
    state.update();
    expect(a.actions()).toEqual(['chat_opened']);
  });

  it('drops and counts events while consent is denied, when told to', () => {
    const a = recordingDestination('a');
    const { state, options } = consent('drop');
    const chat = tracker([a], { consent: options });
    chat.emit('chat_opened');
    state.granted = true;
    chat.emit('chat_closed');
    expect(a.actions()).toEqual(['chat_closed']);
    expect(chat.stats().droppedForConsent).toBe(1);
  });
});

describe('allowFields', () => {
  it('forwards only the payload paths the site opted in to', async () => {
    const page = fakePage();
    const a = recordingDestination('a');
    const chat = createChatTracker({ destinations: [a], window: page.window as unknown as Window, allowFields: ['sentBy.type', 'direction'] }).start();
    stops.push(() => chat.stop());
    page.kustomer.loadCore();
    page.window.KustomerCore.init({});
    await page.kustomer.initialized();
    page.kustomer.agentReplies('c1');
    expect(a.events[0].extra).toEqual({ 'sentBy.type': 'user', direction: 'out' });
  });
});
