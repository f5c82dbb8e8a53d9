import { describe, expect, it } from 'vitest';
import { ACTION_LABELS, CHAT_ACTIONS, isChatAction } from '../../core/schema';
import { buildEvent } from '../../core/event';
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
});
