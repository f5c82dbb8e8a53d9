import type { ConsentOptions } from '../../core/tracker';
import { dataLayerOf, pageWindow } from '../shared/globals';

/** Options of `googleConsentMode()`. */
export interface GoogleConsentModeOptions {
  /** The consent type that must be `'granted'`. Default `'analytics_storage'`. */
  type?: string;
  /** Default `'dataLayer'`. */
  dataLayerName?: string;
  whileDenied?: ConsentOptions['whileDenied'];
}

type Command = ArrayLike<unknown>;

/** `gtag('consent', 'default' | 'update', {...})` queues its `arguments` in the dataLayer. */
function isConsentCommand(entry: unknown): entry is Command {
  const command = entry as Command | null;
  return command != null && typeof command === 'object' && command[0] === 'consent' && (command[1] === 'default' || command[1] === 'update');
}

/**
 * Google Consent Mode as the tracker's `consent` option: chat events go out while the consent type (default
 * `analytics_storage`) is `'granted'` by the last `gtag('consent', ...)` command in the dataLayer.
 * It notices a consent update by wrapping `dataLayer.push`; if GTM replaces that push afterwards, held events
 * go out at the next chat event instead.
 *
 * @example
 * createChatTracker({ destinations: [gtmDataLayer()], consent: googleConsentMode() }).start();
 */
export function googleConsentMode(options: GoogleConsentModeOptions = {}): ConsentOptions {
  const { type = 'analytics_storage', dataLayerName = 'dataLayer', whileDenied } = options;
  const dataLayer = () => pageWindow()?.[dataLayerName] as unknown[] | undefined;
  return {
    whileDenied,
    granted() {
      let state: unknown;
      const entries = dataLayer();
      if (!Array.isArray(entries)) return false;
      for (const entry of entries) {
        if (isConsentCommand(entry)) state = (entry[2] as Record<string, unknown> | undefined)?.[type] ?? state;
      }
      return state === 'granted';
    },
    subscribe(update) {
      // Create a missing dataLayer, so that consent given later is seen.
      const entries = dataLayerOf(dataLayerName) as unknown[];
      if (!Array.isArray(entries)) return;
      const push = entries.push;
      entries.push = function (this: unknown[], ...pushed: unknown[]) {
        const length = push.apply(this, pushed);
        if (pushed.some(isConsentCommand)) update();
        return length;
      };
    },
  };
}
