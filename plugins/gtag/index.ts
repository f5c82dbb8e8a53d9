import type { ChatEvent } from '../../core/schema';
import type { Destination } from '../../core/tracker';
import { GA4_EVENT_NAMES, ga4Params, gaClientId } from '../shared/ga4';
import { pageWindow } from '../shared/globals';

/** Options of `gtagDestination()`. */
export interface GtagOptions {
  /** Default `'gtag'`. Looked up at every event. */
  gtagName?: string;
  /** A GA4 measurement id to send to, when the page configures several. */
  sendTo?: string;
}

type Gtag = (command: 'event', name: string, params: Record<string, unknown>) => void;

/**
 * GA4 through `gtag()`, for sites without GTM. Same event names as `ga4DataLayer()`.
 *
 * @example
 * createChatTracker({ destinations: [gtagDestination()] }).start();
 */
export function gtagDestination(options: GtagOptions = {}): Destination {
  const { gtagName = 'gtag', sendTo } = options;
  const gtag = () => pageWindow()?.[gtagName] as Gtag | undefined;
  return {
    name: 'gtag',
    key: `gtag:${gtagName}:${sendTo ?? ''}`,
    isReady: () => typeof gtag() === 'function',
    identity: gaClientId,
    send(event: ChatEvent) {
      const params: Record<string, unknown> = {};
      // gtag sends every key it is given: leave out the ones that do not apply.
      for (const [key, value] of Object.entries(ga4Params(event))) if (value !== undefined) params[key] = value;
      if (sendTo) params.send_to = sendTo;
      gtag()!('event', GA4_EVENT_NAMES[event.action], params);
    },
  };
}

export { GA4_EVENT_NAMES };
