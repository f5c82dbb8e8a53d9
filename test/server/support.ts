/** Real SDKs pointed at a collector on 127.0.0.1: what the server tests send through. */
import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { startCollector } from '../../support/collector.js';
import { ga4MeasurementProtocol, rudderstackServer, segmentServer } from '../../server/index';
import type { ServerDestination } from '../../server/index';

export const SECRET = 'whsec-test-token-3f1c9a';
export const SEGMENT_PATH = '/segment/v1/batch';
export const RUDDER_PATH = '/rudder/v1/batch';
export const GA4_PATH = '/ga4/mp/collect';

export type Collector = Awaited<ReturnType<typeof startCollector>>;

export interface CollectedEvent {
  event: string;
  messageId?: string;
  anonymousId?: string;
  userId?: string;
  properties: Record<string, unknown>;
  context?: Record<string, unknown>;
}

export interface Ga4Hit {
  client_id: string;
  events: Array<{ name: string; params: Record<string, unknown> }>;
}

/** The SDK clients and destinations of one handler instance, all sending to `collector`. */
export function realDestinations(collector: Collector) {
  const segment = new SegmentAnalytics({ writeKey: 'segment-write-key', host: collector.url, path: SEGMENT_PATH, flushInterval: 20, maxRetries: 0 });
  const rudder = new RudderAnalytics('rudder-write-key', { dataPlaneUrl: collector.url, path: RUDDER_PATH, flushInterval: 20, retryCount: 0, logLevel: 'error' });
  const destinations: ServerDestination[] = [
    segmentServer(segment),
    rudderstackServer(rudder),
    ga4MeasurementProtocol({ measurementId: 'G-TEST123', apiSecret: 'ga4-secret', endpoint: `${collector.url}${GA4_PATH}` }),
  ];
  return {
    segment,
    rudder,
    destinations,
    async close() {
      await segment.closeAndFlush({ timeout: 2000 });
      await rudder.flush();
    },
  };
}

export const segmentEvents = (collector: Collector) => collector.events(SEGMENT_PATH) as CollectedEvent[];
export const rudderEvents = (collector: Collector) => collector.events(RUDDER_PATH) as CollectedEvent[];
/** GA4 hits the collector answered 2xx for, or all of them. */
export const ga4Hits = (collector: Collector) => collector.batchesFor('/ga4/').map((request) => request.body as Ga4Hit);

/** Counts of each value. */
export function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
