import { describe, expect, it } from 'vitest';
import { REMEMBERED_IDS, idSet } from '../../core/dedupe';
import { buildEvent } from '../../core/event';

describe('idSet()', () => {
  it('tells an id seen before, for deterministic ids and any other string', () => {
    const seen = idSet(10);
    const id = buildEvent('message_sent', { conversationId: 'c1' }, 'core', 'm1').id;
    expect([seen.add(id), seen.add(id), seen.add('other'), seen.add('other'), seen.add(''), seen.add('')]).toEqual([true, false, true, false, true, false]);
  });

  it('keeps at least the last `limit` ids and at most twice as many: the oldest generation goes', () => {
    const seen = idSet(3);
    ['a', 'b', 'c', 'd', 'e', 'f'].forEach((id) => seen.add(id));
    // a b c are the older generation, d e f the newer; the next new id retires a b c.
    expect(seen.add('a')).toBe(false);
    expect(seen.add('g')).toBe(true);
    expect([seen.add('b'), seen.add('d'), seen.add('g')]).toEqual([true, false, false]);
  });

  it('holds 100,000 message ids and 10,000 conversation ids of one tab without a false match', () => {
    const seen = idSet(REMEMBERED_IDS);
    let fresh = 0;
    for (let c = 0; c < 10000; c++) if (seen.add(buildEvent('conversation_started', { conversationId: `conv_${c}` }, 'widget', '').id)) fresh++;
    for (let m = 0; m < 100000; m++) if (seen.add(buildEvent('message_sent', { conversationId: `conv_${m % 10000}` }, 'core', `msg_${m}`).id)) fresh++;
    expect(fresh).toBe(110000);
    let again = 0;
    for (let m = 0; m < 100000; m++) if (seen.add(buildEvent('message_sent', { conversationId: `conv_${m % 10000}` }, 'core', `msg_${m}`).id)) again++;
    expect(again).toBe(0);
  });
});
