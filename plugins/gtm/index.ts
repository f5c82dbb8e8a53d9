import { ACTION_LABELS, type ChatEvent } from '../../core/schema';
import { attempt } from '../../core/safe';
import type { Destination } from '../../core/types';
import { GA4_EVENT_NAMES, GA4_PARAMETERS, ga4Params, gaClientId } from '../shared/ga4';
import { dataLayerOf, pageWindow } from '../shared/globals';

/** The key names of a `Kustomer_Chat_Event` push. */
export interface GtmKeys {
  action: string;
  conversationId: string;
  rating: string;
  availability: string;
  /** `false` leaves the event id out of the push. */
  eventId: string | false;
}

/** Options of `gtmDataLayer()`. */
export interface GtmOptions {
  /** Default `'dataLayer'`. Looked up at every push, so a dataLayer replaced later is followed. */
  dataLayerName?: string;
  /** Default `'Kustomer_Chat_Event'`, the copy-paste listener's event. */
  eventName?: string;
  /** Key names of the push. Defaults: the listener's `chat_Action`, `conversationId`, `satisfactionScore`; `chatAvailability` and `eventId`. */
  keys?: Partial<GtmKeys>;
  /** Static fields added to every push. */
  fields?: Record<string, unknown>;
  /** Also push GA4-ready events (`chat_widget_open`, `chat_rating`, ...), as `ga4DataLayer()` does. */
  ga4?: boolean;
}

const DEFAULT_KEYS: GtmKeys = { action: 'chat_Action', conversationId: 'conversationId', rating: 'satisfactionScore', availability: 'chatAvailability', eventId: 'eventId' };

/** Pushes a fresh object: GTM writes `gtm.uniqueEventId` into what it is given. */
function push(dataLayerName: string, entry: Record<string, unknown>): void {
  if (!pageWindow()) return;
  const dataLayer = dataLayerOf(dataLayerName) as { push?: unknown } | null;
  if (typeof dataLayer?.push !== 'function') throw new TypeError(`window.${dataLayerName} has no push()`);
  (dataLayer.push as (entry: unknown) => void)(entry);
}

/**
 * The copy-paste listener's dataLayer layout, without its stale keys: every push sets every chat key,
 * `undefined` where it does not apply, because GTM merges pushes into one data model.
 *
 * @example
 * createChatTracker({ destinations: [gtmDataLayer()] }).start();
 * // dataLayer: { event: 'Kustomer_Chat_Event', chat_Action: 'conversation started', conversationId: 'c1', satisfactionScore: undefined, eventId: 'k…' }
 */
export function gtmDataLayer(options: GtmOptions = {}): Destination {
  const { dataLayerName = 'dataLayer', eventName = 'Kustomer_Chat_Event', fields } = options;
  const keys = { ...DEFAULT_KEYS, ...options.keys };
  const ga4 = options.ga4 ? ga4DataLayer({ dataLayerName }) : undefined;
  return {
    name: 'gtm',
    key: `gtm:${dataLayerName}:${eventName}`,
    identity: gaClientId,
    send(event: ChatEvent) {
      const entry: Record<string, unknown> = {
        ...fields,
        event: eventName,
        [keys.action]: ACTION_LABELS[event.action],
        [keys.conversationId]: event.conversationId,
        [keys.rating]: event.rating,
        [keys.availability]: event.availability,
      };
      if (keys.eventId) entry[keys.eventId] = event.id;
      // Each push on its own: a failing first push must not cost the GA4 push. The first failure is rethrown
      // afterwards, so that the tracker counts it.
      const failures: unknown[] = [];
      attempt(() => push(dataLayerName, entry), (e) => failures.push(e));
      if (ga4) attempt(() => ga4.send(event), (e) => failures.push(e));
      if (failures.length) throw failures[0];
    },
  };
}

/**
 * GA4-ready dataLayer events for a GA4 Event tag in GTM: `{ event: 'chat_rating', rating_value: 5, ... }`.
 */
export function ga4DataLayer(options: Pick<GtmOptions, 'dataLayerName'> = {}): Destination {
  const { dataLayerName = 'dataLayer' } = options;
  // Parameters from `allowFields` this destination has pushed: cleared on every later push, like the others.
  // Bounded: they come from the tracker's `allowFields` paths only.
  const allowedNames = new Set<string>();
  return {
    name: 'ga4-dataLayer',
    key: `ga4:${dataLayerName}`,
    identity: gaClientId,
    send(event: ChatEvent) {
      const entry: Record<string, unknown> = { event: GA4_EVENT_NAMES[event.action] };
      for (const name of GA4_PARAMETERS) entry[name] = undefined;
      for (const name of allowedNames) entry[name] = undefined;
      const params = ga4Params(event);
      for (const name of Object.keys(params)) if (!(GA4_PARAMETERS as readonly string[]).includes(name)) allowedNames.add(name);
      push(dataLayerName, Object.assign(entry, params));
    },
  };
}

export { GA4_EVENT_NAMES };
export { googleConsentMode } from './consent-mode';
export type { GoogleConsentModeOptions } from './consent-mode';
