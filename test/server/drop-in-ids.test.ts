import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_LABELS, type ChatEvent } from '../../core/schema';
import { DROP_IN } from '../../entry-points.cjs';
import { chatPushes, standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { createWebhookHandler } from '../../server/index';
import { conversationCreate, conversationUpdate, deliver, messageCreate, objectId } from '../../support/kustomer-webhooks.js';
import { SECRET } from './support';

let e2e: Awaited<ReturnType<typeof startE2e>>;
beforeAll(async () => {
  e2e = await startE2e();
});
afterAll(() => e2e?.close());

describe('the drop-in in real Chromium and the webhook handler, for one conversation', () => {
  it('push and send the same event ids', async () => {
    const page = await e2e.open(`<!doctype html><script src="/${DROP_IN.file}"></script>${standInScript}`);
    await standInReady(page);
    const conversationId = objectId();
    const { sent, received } = await page.evaluate(async (id: string) => {
      const k = (window as unknown as { kustomer: Record<string, (...args: unknown[]) => unknown> }).kustomer;
      await k.loadStartedWidgetAndCore();
      k.startConversation(id);
      const sent = k.visitorSends(id) as { messageId: string; createdAt: string };
      const received = k.agentReplies(id) as { messageId: string; createdAt: string };
      k.endConversation(id);
      return { sent, received };
    }, conversationId);
    const pushes = (await chatPushes(page)) as Array<{ chat_Action: string; conversationId?: string; eventId: string }>;
    expect(page.pageErrors).toEqual([]);

    const events: ChatEvent[] = [];
    const handler = createWebhookHandler({ secret: SECRET, destinations: [{ name: 'recorder', send: async (event) => void events.push(event) }] });
    const customerId = objectId();
    const c = { id: conversationId, customerId, createdAt: '2026-12-07T10:00:00.000Z' };
    for (const webhook of [
      messageCreate({ id: received.messageId, conversationId, customerId, direction: 'out', createdAt: received.createdAt }),
      conversationCreate(c),
      messageCreate({ id: sent.messageId, conversationId, customerId, direction: 'in', createdAt: sent.createdAt }),
      conversationUpdate({ ...c, status: 'done', reopenCount: 0 }, { status: { before: 'open', after: 'done' } }),
    ]) {
      expect(await deliver(handler, 'https://hooks.example.com/kustomer', webhook, SECRET)).toEqual([200]);
    }

    const fromServer = events.map((e) => `${ACTION_LABELS[e.action]} ${e.id}`).sort();
    const fromBrowser = pushes.filter((p) => p.conversationId === conversationId && ['conversation started', 'message sent', 'message received', 'conversation ended'].includes(p.chat_Action)).map((p) => `${p.chat_Action} ${p.eventId}`).sort();
    expect(fromBrowser).toHaveLength(4);
    expect(fromServer).toEqual(fromBrowser);
  });
});
