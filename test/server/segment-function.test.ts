import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEvent } from '../../core/event';
import { SEGMENT_FUNCTION } from '../../entry-points.cjs';
import { repoRoot } from '../../support/e2e-page.js';
import { conversationCreate, conversationUpdate, messageCreate, objectId, type ConversationState } from '../../support/kustomer-webhooks.js';
import { segmentFunctionRuntime } from './segment-function-runtime';

const file = path.join(repoRoot, SEGMENT_FUNCTION.file);
const SHARED = 'shared-secret-from-kustomer-header';
const HEADER = { 'x-kustomer-chat-analytics-secret': SHARED };
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

beforeAll(() => {
  expect(existsSync(file), `${file} is not built: npm run build:dist`).toBe(true);
});

function story() {
  const customerId = objectId();
  const c: ConversationState = { id: objectId(), customerId, createdAt: '2026-12-07T10:00:00.000Z' };
  const stitched = { ...c, custom: { segmentAnonymousIdStr: 'seg-anon-42', segmentUserIdStr: 'user-42' } };
  const level = { rating: 5, formResponse: objectId(), updatedAt: '2026-12-07T10:06:00.000Z' };
  return {
    c,
    create: conversationCreate(c),
    stitched: conversationUpdate(stitched, { 'custom.segmentAnonymousIdStr': { before: null, after: 'seg-anon-42' } }),
    sent: messageCreate({ conversationId: c.id, customerId, direction: 'in', createdAt: '2026-12-07T10:00:30.000Z' }),
    received: messageCreate({ conversationId: c.id, customerId, direction: 'out', auto: true, createdAt: '2026-12-07T10:00:31.000Z' }),
    ended: conversationUpdate({ ...stitched, status: 'done' }, { status: { before: 'open', after: 'done' } }),
    rated: conversationUpdate({ ...stitched, status: 'done', satisfactionLevel: level }, { satisfactionLevel: { before: null, after: level } }),
  };
}

describe(`${SEGMENT_FUNCTION.file} in a stand-in of Segment's Source Function runtime`, () => {
  it('is one script with a top-level onRequest, and sends each action once with the browser ids', async () => {
    const runtime = segmentFunctionRuntime(file, { sharedSecret: SHARED });
    const s = story();
    for (const webhook of [s.received, s.stitched, s.create, s.sent, s.ended, s.rated]) expect(await runtime.post(pretty(webhook), HEADER)).toMatchObject({ outcome: 'ok' });
    const tracks = runtime.calls.filter((call) => call.method === 'track').map((call) => call.message);
    expect(tracks.map((t) => t.event).sort()).toEqual(
      ['Live Chat Conversation Ended', 'Live Chat Conversation Started', 'Live Chat Message Received', 'Live Chat Message Sent', 'Live Chat Satisfaction Submitted'].sort(),
    );
    const started = tracks.find((t) => t.event === 'Live Chat Conversation Started')!;
    expect(started.messageId).toBe(buildEvent('conversation_started', { conversationId: s.c.id }, 'widget', '').id);
    expect(started).toMatchObject({ anonymousId: 'seg-anon-42', userId: 'user-42' });
    // The agent's (auto) reply came before the ids: the anonymous id derived from the customer.
    expect(tracks.find((t) => t.event === 'Live Chat Message Received')).toMatchObject({ anonymousId: `kustomer-${s.c.customerId}` });
    expect(JSON.stringify(tracks)).not.toMatch(/4111|jane@example\.com|555 010|orderNumberStr/);
  });

  it('refuses a missing or wrong shared secret, and what is not a webhook, without retry and without sending', async () => {
    const runtime = segmentFunctionRuntime(file, { sharedSecret: SHARED });
    const s = story();
    expect(await runtime.post(pretty(s.create), {})).toMatchObject({ outcome: 'message rejected', attempts: 1 });
    expect(await runtime.post(pretty(s.create), { 'x-kustomer-chat-analytics-secret': 'guess' })).toMatchObject({ outcome: 'message rejected' });
    expect(await runtime.post('{"hello":"world"}', HEADER)).toMatchObject({ outcome: 'message rejected' });
    expect(await runtime.post(pretty({ ...s.create, data: { __proto__: { polluted: 1 }, type: 'conversation', id: 'a@b' } }), HEADER)).toMatchObject({ outcome: 'message rejected' });
    const unconfigured = segmentFunctionRuntime(file, {});
    expect(await unconfigured.post(pretty(s.create), HEADER)).toMatchObject({ outcome: 'message rejected' });
    expect([...runtime.calls, ...unconfigured.calls]).toEqual([]);
  });

  it('throws RetryError when Segment.track fails, and the retry sends it', async () => {
    const runtime = segmentFunctionRuntime(file, { sharedSecret: SHARED, sharedSecretHeader: 'x-my-secret' });
    const s = story();
    runtime.failTracks(2);
    expect(await runtime.post(pretty(s.sent), { 'x-my-secret': SHARED })).toMatchObject({ outcome: 'ok', attempts: 3 });
    expect(runtime.calls.map((call) => call.message.event)).toEqual(['Live Chat Message Sent']);
  });

  it('leaves out other channels and actions as its settings say', async () => {
    const runtime = segmentFunctionRuntime(file, { sharedSecret: SHARED, actions: 'message_sent, conversation_ended' });
    const s = story();
    for (const webhook of [s.create, s.sent, s.received, s.ended]) await runtime.post(pretty(webhook), HEADER);
    await runtime.post(pretty(messageCreate({ conversationId: s.c.id, customerId: s.c.customerId, direction: 'in', channel: 'email', createdAt: s.c.createdAt })), HEADER);
    expect(runtime.calls.map((call) => call.message.event)).toEqual(['Live Chat Message Sent', 'Live Chat Conversation Ended']);
  });
});
