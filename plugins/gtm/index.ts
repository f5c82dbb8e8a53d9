import type { ChatEvent } from '../../core/schema';
import type { Destination } from '../../core/types';
import { GA4_EVENT_NAMES, GA4_PARAMETERS, ga4Params, gaClientId } from '../shared/ga4';
import { chatDataLayer, push, type GtmOptions } from './data-layer';

export type { GtmKeys, GtmOptions } from './data-layer';

/**
 * The copy-paste listener's dataLayer layout, without its stale keys: every push sets every chat key,
 * `undefined` where it does not apply, because GTM merges pushes into one data model.
 *
 * @example
 * createChatTracker({ destinations: [gtmDataLayer()] }).start();
 * // dataLayer: { event: 'Kustomer_Chat_Event', chat_Action: 'conversation started', conversationId: 'c1', satisfactionScore: undefined, eventId: 'k…' }
 */
export function gtmDataLayer(options: GtmOptions = {}): Destination {
  const ga4 = options.ga4 ? ga4DataLayer({ dataLayerName: options.dataLayerName }) : undefined;
  return { ...chatDataLayer(options, ga4?.send), identity: gaClientId };
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
