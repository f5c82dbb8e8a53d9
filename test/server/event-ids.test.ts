import { afterEach, describe, expect, it } from 'vitest';
import { createChatTracker } from '../../core/tracker';
import type { ChatEvent } from '../../core/schema';
import { createWebhookHandler, type ServerDestination } from '../../server/index';
import { recordingDestination, startedChatPage } from '../support/fake-page.js';
import { conversationCreate, conversationUpdate, deliver, messageCreate, objectId, type ConversationState } from '../../support/kustomer-webhooks.js';
import { SECRET } from './support';

const URL = 'https://hooks.example.com/kustomer';

afterEach(() => {
  delete (globalThis as { window?: unknown }).window;
});

/** A destination that keeps what the handler sends it. */
function serverRecorder() {
  const events: ChatEvent[] = [];
  const destination: ServerDestination = {
    name: 'recorder',
    send: async (event) => {
      events.push(event);
    },
  };
  return { destination, events };
}

describe('the same conversation seen by the browser tracker and by the webhook handler', () => {
  it('gives the same event ids: start, messages (by message id), end, reopen, second end', async () => {
    const { win, k } = await startedChatPage();
    const browser = recordingDestination('browser');
    const tracker = createChatTracker({ destinations: [browser], window: win as unknown as Window }).start();
    const conversationId = objectId();
    k.startConversation(conversationId);
    const sent = k.visitorSends(conversationId);
    const received = k.agentReplies(conversationId);
    k.endConversation(conversationId);
    k.reopenConversation(conversationId);
    k.endConversation(conversationId);
    tracker.stop();

    const server = serverRecorder();
    const handler = createWebhookHandler({ secret: SECRET, destinations: [server.destination] });
    const customerId = objectId();
    const c: ConversationState = { id: conversationId, customerId, createdAt: '2026-12-07T10:00:00.000Z' };
    const webhooks = [
      conversationCreate(c),
      messageCreate({ id: sent.messageId, conversationId, customerId, direction: 'in', createdAt: sent.createdAt }),
      messageCreate({ id: received.messageId, conversationId, customerId, direction: 'out', createdAt: received.createdAt }),
      conversationUpdate({ ...c, status: 'done', reopenCount: 0 }, { status: { before: 'open', after: 'done' } }),
      conversationUpdate({ ...c, status: 'open', reopenCount: 1 }, { status: { before: 'done', after: 'open' } }),
      conversationUpdate({ ...c, status: 'done', reopenCount: 1 }, { status: { before: 'open', after: 'done' } }),
    ];
    // Out of order, as Kustomer may deliver them: the ids do not depend on it.
    for (const webhook of [webhooks[2], webhooks[0], webhooks[1], webhooks[3], webhooks[4], webhooks[5]]) expect(await deliver(handler, URL, webhook, SECRET)).toEqual([200]);

    const pick = (events: ChatEvent[]) =>
      events
        .filter((e) => e.action !== 'chat_opened' && e.action !== 'chat_closed')
        .map((e) => `${e.action} ${e.id} ${e.conversationId} ${e.messageId ?? ''}`)
        .sort();
    expect(pick(server.events)).toEqual(pick(browser.events));
    expect(server.events).toHaveLength(6);
    expect(new Set(server.events.map((e) => e.id)).size).toBe(6);
    expect(server.events.every((e) => e.origin === 'webhook')).toBe(true);
  });

  it('gives the same satisfaction id when the rating form id is the satisfaction id the browser saw', async () => {
    const { win, k } = await startedChatPage();
    const browser = recordingDestination('browser');
    const tracker = createChatTracker({ destinations: [browser], window: win as unknown as Window }).start();
    const conversationId = objectId();
    k.startConversation(conversationId);
    const { response } = (await k.rate(conversationId, 4)) as { response: { satisfactionId: string } };
    tracker.stop();
    const server = serverRecorder();
    const handler = createWebhookHandler({ secret: SECRET, destinations: [server.destination], actions: ['satisfaction_submitted'] });
    const level = { rating: 4, formResponse: response.satisfactionId, updatedAt: '2026-12-07T10:06:00.000Z' };
    const webhook = conversationUpdate({ id: conversationId, customerId: objectId(), createdAt: '2026-12-07T10:00:00.000Z', satisfactionLevel: level }, { satisfactionLevel: { before: null, after: level } });
    expect(await deliver(handler, URL, webhook, SECRET)).toEqual([200]);
    const browserRating = browser.events.find((e) => e.action === 'satisfaction_submitted')!;
    expect(server.events.map((e) => [e.id, e.rating])).toEqual([[browserRating.id, 4]]);
  });
});
