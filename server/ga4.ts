import type { ChatEvent } from '../core/schema';
import { GA4_EVENT_NAMES, ga4Params } from '../plugins/shared/ga4';
import type { ServerDestination } from './destination';
import type { WebhookIdentity } from './map';

/** Options of `ga4MeasurementProtocol()`. */
export interface Ga4MeasurementProtocolOptions {
  /** `G-XXXXXXX`. */
  measurementId: string;
  /** A Measurement Protocol API secret (GA4 Admin › Data streams › Measurement Protocol API secrets). */
  apiSecret: string;
  /** Default GA4's `https://www.google-analytics.com/mp/collect`; a server-side GTM container's `/mp/collect` works too. */
  endpoint?: string;
  /** Default the global `fetch`. */
  fetch?: (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number }>;
  /** Replace some event names: `{ satisfaction_submitted: 'csat' }`. */
  eventNames?: Partial<Record<ChatEvent['action'], string>>;
}

const GA4_ENDPOINT = 'https://www.google-analytics.com/mp/collect';

/**
 * Sends chat events to GA4 with the Measurement Protocol, under the event names of the browser's GA4 destinations.
 * GA4 needs the site's client id (`gaClientIdStr`, written by the browser's identity stitching): an event without
 * it is skipped and counted (`stats().destinations.ga4.skipped`), never sent under a made-up id.
 *
 * @example
 * ga4MeasurementProtocol({ measurementId: 'G-XXXXXXX', apiSecret: process.env.GA4_API_SECRET });
 */
export function ga4MeasurementProtocol(options: Ga4MeasurementProtocolOptions): ServerDestination {
  const url = new URL(options.endpoint ?? GA4_ENDPOINT);
  url.searchParams.set('measurement_id', options.measurementId);
  url.searchParams.set('api_secret', options.apiSecret);
  const target = url.toString();
  return {
    name: 'ga4',
    async send(event: ChatEvent, identity: WebhookIdentity, signal: AbortSignal) {
      if (!identity.gaClientId) return 'skipped';
      const params: Record<string, string | number | boolean> = { engagement_time_msec: 1 };
      for (const [key, value] of Object.entries(ga4Params(event))) if (value !== undefined) params[key] = value;
      const body = {
        client_id: identity.gaClientId,
        timestamp_micros: Date.parse(event.timestamp) * 1000,
        events: [{ name: options.eventNames?.[event.action] ?? GA4_EVENT_NAMES[event.action], params }],
      };
      const send = options.fetch ?? (globalThis.fetch as unknown as NonNullable<Ga4MeasurementProtocolOptions['fetch']>);
      const response = await send(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
      if (!response.ok) throw new Error(`GA4 answered ${response.status}`);
      return undefined;
    },
  };
}
