// @vitest-environment jsdom
// Fields the library sets are never overwritten by `allowFields`; GA4 pushes clear what an earlier push allowed;
// the pushes of gtmDataLayer({ ga4: true }) are isolated from each other.
import { beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../../core/event';
import type { ChatEvent } from '../../core/schema';
import { createChatTracker } from '../../core/tracker';
import { ga4DataLayer, gtmDataLayer } from '../../plugins/gtm/index';
import { gtagDestination } from '../../plugins/gtag/index';
import { segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';

const w = window as unknown as Record<string, unknown>;
beforeEach(() => {
  delete w.dataLayer;
  delete w.gtag;
});

/** An event as the source hands it on when a site allowed fields named like the library's own. */
const forged = (fields: Record<string, unknown>, extra: ChatEvent['extra']): ChatEvent => ({ ...buildEvent('message_sent', fields, 'core', 'm1'), extra });
const hostileExtra = { platform: 'forged', event_id: 'forged', conversation_id: 'forged', message_id: 'forged', chat_platform: 'forged', direction: 'in' };

function loadedSdk() {
  const calls: unknown[][] = [];
  return { calls, track: (...args: unknown[]) => void calls.push(args), ready: (callback: () => void) => callback() };
}

describe('allowFields', () => {
  it('never overwrites the Live Chat properties the library sets, present or absent', () => {
    const event = forged({ conversationId: 'c1' }, hostileExtra);
    for (const destination of [segmentDestination, rudderstackDestination]) {
      const sdk = loadedSdk();
      destination(sdk).send(event);
      const properties = sdk.calls[0][1] as Record<string, unknown>;
      expect(properties).toMatchObject({ platform: 'kustomer', event_id: event.id, conversation_id: 'c1', direction: 'in' });
      // No message id in this event: the allowed field of that name is still not taken for one.
      expect(properties).not.toHaveProperty('message_id');
    }
  });

  it('never overwrites the GA4 parameters the library sets, in the dataLayer and through gtag', () => {
    const event = forged({ conversationId: 'c1' }, hostileExtra);
    ga4DataLayer().send(event);
    expect((w.dataLayer as Record<string, unknown>[])[0]).toMatchObject({ chat_platform: 'kustomer', event_id: event.id, conversation_id: 'c1', message_id: undefined, direction: 'in' });
    const calls: unknown[][] = [];
    w.gtag = (...args: unknown[]) => void calls.push(args);
    gtagDestination().send(event);
    expect(calls[0][2]).toEqual({ chat_platform: 'kustomer', event_id: event.id, conversation_id: 'c1', platform: 'forged', direction: 'in' });
  });
});

describe('ga4DataLayer()', () => {
  it('clears a field allowed on one push on the next, so GTM never carries it onto a later event', () => {
    const destination = ga4DataLayer();
    destination.send(forged({ conversationId: 'c1' }, { direction: 'in' }));
    destination.send(buildEvent('satisfaction_submitted', { conversationId: 'c1', rating: 5 }, 'core', 's1'));
    const [message, rating] = w.dataLayer as Record<string, unknown>[];
    expect(message).toHaveProperty('direction', 'in');
    expect(rating).toHaveProperty('event', 'chat_rating');
    expect(rating).toHaveProperty('direction', undefined);
  });
});

describe('gtmDataLayer({ ga4: true })', () => {
  it('still makes the GA4 push when the first push throws, and counts the failure', () => {
    const entries: Record<string, unknown>[] = [];
    w.dataLayer = Object.assign(entries, {
      push(entry: Record<string, unknown>) {
        if (entry.event === 'Kustomer_Chat_Event') throw new Error('a tag threw');
        return Array.prototype.push.call(entries, entry);
      },
    });
    const tracker = createChatTracker({ destinations: [gtmDataLayer({ ga4: true })], window });
    tracker.emit('chat_opened');
    expect(entries.map((entry) => entry.event)).toEqual(['chat_widget_open']);
    expect(tracker.stats().destinations.gtm).toMatchObject({ failed: 1, delivered: 0 });
  });
});
