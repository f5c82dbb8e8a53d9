// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { buildEvent } from '../../core/event';
import { ga4DataLayer, gtmDataLayer } from '../../plugins/gtm/index';
import { gtagDestination } from '../../plugins/gtag/index';

const w = window as unknown as Record<string, unknown>;
beforeEach(() => {
  delete w.dataLayer;
  delete w.gtag;
});

const rated = buildEvent('satisfaction_submitted', { conversationId: 'c1', rating: 5, ratingScale: 5 }, 'core', 's1');
const opened = buildEvent('chat_opened', {}, 'widget');

describe('gtmDataLayer()', () => {
  it('pushes the copy-paste listener layout', () => {
    gtmDataLayer().send(rated);
    expect(w.dataLayer).toEqual([
      { event: 'Kustomer_Chat_Event', chat_Action: 'satisfaction submitted', conversationId: 'c1', satisfactionScore: 5, eventId: rated.id },
    ]);
  });

  it('clears keys that do not apply to the event', () => {
    gtmDataLayer().send(rated);
    gtmDataLayer().send(opened);
    const second = (w.dataLayer as Record<string, unknown>[])[1];
    expect(second).toHaveProperty('conversationId', undefined);
    expect(second).toHaveProperty('satisfactionScore', undefined);
    expect(Object.keys(second)).toEqual(['event', 'chat_Action', 'conversationId', 'satisfactionScore', 'chatAvailability', 'eventId']);
  });

  it('keeps an existing dataLayer and pushes a fresh object each time', () => {
    const existing: unknown[] = [{ 'gtm.start': 1 }];
    w.dataLayer = existing;
    const destination = gtmDataLayer();
    destination.send(opened);
    destination.send(opened);
    expect(w.dataLayer).toBe(existing);
    expect(existing[1]).not.toBe(existing[2]);
  });

  it('follows a dataLayer replaced after start, and a custom name', () => {
    const destination = gtmDataLayer({ dataLayerName: 'shopLayer' });
    destination.send(opened);
    const replaced: unknown[] = [];
    w.shopLayer = replaced;
    destination.send(opened);
    expect(replaced).toHaveLength(1);
  });

  it('takes other event and key names, static fields, and can leave the id out', () => {
    gtmDataLayer({ eventName: 'chat', keys: { action: 'action', rating: 'score', eventId: false }, fields: { site: 'eu' } }).send(rated);
    expect((w.dataLayer as unknown[])[0]).toEqual({ site: 'eu', event: 'chat', action: 'satisfaction submitted', conversationId: 'c1', score: 5 });
  });

  it('throws, to be counted as failed, when the dataLayer is not an array', () => {
    w.dataLayer = 'broken';
    expect(() => gtmDataLayer().send(opened)).toThrow(/has no push/);
  });
});

describe('GA4', () => {
  it('pushes GA4-ready events with every parameter set', () => {
    ga4DataLayer().send(opened);
    ga4DataLayer().send(rated);
    const [open, rating] = w.dataLayer as Record<string, unknown>[];
    expect(open).toMatchObject({ event: 'chat_widget_open', chat_platform: 'kustomer', rating_value: undefined });
    expect(rating).toMatchObject({ event: 'chat_rating', rating_value: 5, conversation_id: 'c1', event_id: rated.id });
  });

  it('gtmDataLayer({ ga4: true }) pushes both layouts', () => {
    gtmDataLayer({ ga4: true }).send(opened);
    expect((w.dataLayer as Record<string, unknown>[]).map((entry) => entry.event)).toEqual(['Kustomer_Chat_Event', 'chat_widget_open']);
  });

  it('gtagDestination() calls gtag with the same names and only the parameters that apply', () => {
    const calls: unknown[][] = [];
    const destination = gtagDestination({ sendTo: 'G-TEST' });
    expect(destination.isReady!()).toBe(false);
    w.gtag = (...args: unknown[]) => calls.push(args);
    expect(destination.isReady!()).toBe(true);
    destination.send(rated);
    expect(calls).toEqual([
      ['event', 'chat_rating', { chat_platform: 'kustomer', event_id: rated.id, conversation_id: 'c1', rating_value: 5, rating_scale: 5, send_to: 'G-TEST' }],
    ]);
  });
});
