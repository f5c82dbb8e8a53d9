import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, CHAT_ACTIONS, isChatAction } from '../../core/schema';
import { buildEvent, hash53 } from '../../core/event';
import { VERSION } from '../../core/version';
import pkg from '../../package.json';

describe('schema', () => {
  it('labels every action with the copy-paste listener chat_Action value, and the new ones in its style', () => {
    expect(CHAT_ACTIONS.map((action) => ACTION_LABELS[action])).toEqual([
      'chat opened',
      'chat closed',
      'conversation started',
      'message sent',
      'message received',
      'satisfaction requested',
      'satisfaction submitted',
      'assistant ended',
      'conversation ended',
      'conversation reopened',
      'proactive trigger',
    ]);
  });

  it('recognises only its own actions', () => {
    expect(isChatAction('chat_opened')).toBe(true);
    expect(isChatAction('toString')).toBe(false);
    expect(isChatAction('chat opened')).toBe(false);
  });

  it('keeps the version equal to package.json', () => {
    expect(VERSION).toBe(pkg.version);
  });
});

describe('buildEvent()', () => {
  it('gives the same id to the same action, conversation and key', () => {
    const a = buildEvent('message_sent', { conversationId: 'c1', messageId: 'm1' }, 'core', 'm1');
    const b = buildEvent('message_sent', { conversationId: 'c1', messageId: 'm1' }, 'core', 'm1');
    const c = buildEvent('message_sent', { conversationId: 'c1', messageId: 'm2' }, 'core', 'm2');
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });

  it("writes a deterministic id as 'k' + hash53 of action, conversation and key in decimal, as every earlier version did", () => {
    // Ids are shared with other copies of the library on the page, the server path and the session memory, so their
    // form never changes; ids near the decimal halves' edges (multiples of 10^8) come out as String() writes them.
    const seeds = Array.from({ length: 5000 }, (_, i) => `m${i * 7919}`);
    for (const seed of seeds) expect(buildEvent('message_sent', { conversationId: 'c1' }, 'core', seed).id).toBe(`k${hash53(`message_sent|c1|${seed}`)}`);
    expect(buildEvent('conversation_started', { conversationId: 'conv_abc123' }, 'widget', '').id).toBe(`k${hash53('conversation_started|conv_abc123|')}`);
    expect(buildEvent('chat_closed', {}, 'widget', 'x').id).toBe(`k${hash53('chat_closed||x')}`);
    // Two ids as the releases before this one wrote them (cyrb53 as published, `'k' + String(hash)`).
    expect(buildEvent('conversation_started', { conversationId: 'conv_abc123' }, 'widget', '').id).toBe('k3062697993615756');
    expect(buildEvent('message_sent', { conversationId: 'conv_abc123' }, 'core', 'msg_1').id).toBe('k5985066228823479');
  });

  it('gives a unique id when there is no key', () => {
    expect(buildEvent('chat_opened', {}, 'widget').id).not.toBe(buildEvent('chat_opened', {}, 'widget').id);
  });

  it('repairs numeric strings and a missing timestamp', () => {
    const event = buildEvent('satisfaction_submitted', { rating: '5', ratingScale: '5' }, 'core');
    expect(event.rating).toBe(5);
    expect(event.ratingScale).toBe(5);
    expect(new Date(event.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('drops what is not an id, a count or a rating', () => {
    const event = buildEvent(
      'satisfaction_submitted',
      {
        conversationId: 'carol@example.com',
        messageId: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc',
        satisfactionId: '+1 555 0100',
        rating: Number.NaN,
        unreadTotal: -3,
        isInAssistantMode: 'yes',
      },
      'core',
    );
    expect(Object.keys(event).sort()).toEqual(['action', 'id', 'origin', 'platform', 'timestamp']);
  });

  it('uses createdAt when it is a valid date', () => {
    expect(buildEvent('conversation_started', { timestamp: '2026-01-02T03:04:05.000Z' }, 'widget').timestamp).toBe('2026-01-02T03:04:05.000Z');
  });

  it('keeps a timestamp in toISOString form as it is and writes any other date as a Date would', () => {
    const timestampOf = (value: unknown) => buildEvent('chat_opened', { timestamp: value }, 'widget').timestamp;
    // Kept without a Date round trip: the canonical form with days up to the 28th.
    for (const iso of ['2026-01-28T23:59:59.999Z', '0001-12-01T00:00:00.000Z']) expect(timestampOf(iso)).toBe(iso);
    // Everything else goes through Date, as before: February 30 rolls over, other forms are normalised.
    for (const value of ['2025-02-30T00:00:00.000Z', '2024-02-29T12:00:00.000Z', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000+02:00', 1767323045000]) {
      expect(timestampOf(value)).toBe(new Date(value).toISOString());
    }
    // Not a date, or outside 0000-9999: the time of the call instead.
    for (const value of ['2026-13-01T00:00:00.000Z', 'soon', '+275760-09-13T00:00:00.000Z']) {
      expect(timestampOf(value)).not.toBe(value);
      expect(Date.parse(timestampOf(value))).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('keeps ids of letters, digits, "_" and "-" up to 64 characters, and nothing else', () => {
    const idOf = (value: unknown) => buildEvent('message_sent', { conversationId: value }, 'core').conversationId;
    for (const id of ['a', 'conv_ABC-123', 'x'.repeat(64), '6717c2a4e5b1f00012ab3500']) expect(idOf(id)).toBe(id);
    expect(idOf(42)).toBe('42');
    for (const notId of ['', 'x'.repeat(65), 'a b', 'a.b', 'a@b', 'a+b', 'a/b', 'é', 'a\r', '\u0010', 'a\u007f', '[a]', '`a', '{a}']) expect(idOf(notId)).toBeUndefined();
  });
});
