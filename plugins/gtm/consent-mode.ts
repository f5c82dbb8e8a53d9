import { attempt, read } from '../../core/safe';
import type { ConsentOptions } from '../../core/types';
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
 * The dataLayer is read incrementally: each question reads only the entries added since the last one (all of
 * them again only when the dataLayer is replaced or shrinks). It notices a consent update by wrapping
 * `dataLayer.push` until `stop()`; if GTM replaces that push afterwards, held events go out at the next chat event.
 *
 * @example
 * createChatTracker({ destinations: [gtmDataLayer()], consent: googleConsentMode() }).start();
 */
export function googleConsentMode(options: GoogleConsentModeOptions = {}): ConsentOptions {
  const { type = 'analytics_storage', dataLayerName = 'dataLayer', whileDenied } = options;
  let entries: unknown[] | undefined;
  let readUpTo = 0;
  let state: unknown;

  const follow = (): unknown => {
    const current = pageWindow()?.[dataLayerName];
    if (!Array.isArray(current)) return undefined;
    if (current !== entries || current.length < readUpTo) {
      entries = current;
      readUpTo = 0;
      state = undefined;
    }
    while (readUpTo < current.length) {
      const entry = current[readUpTo++];
      // An entry that throws when looked at is no consent command.
      attempt(() => {
        if (isConsentCommand(entry)) state = read(entry[2], type) ?? state;
      });
    }
    return state;
  };

  return {
    whileDenied,
    granted: () => follow() === 'granted',
    subscribe(update) {
      // Create a missing dataLayer, so that consent given later is seen.
      const dataLayer = dataLayerOf(dataLayerName) as unknown[];
      if (!Array.isArray(dataLayer)) return;
      const push = dataLayer.push;
      const wasOwn = Object.prototype.hasOwnProperty.call(dataLayer, 'push');
      let active = true;
      const wrapper = function (this: unknown[], ...pushed: unknown[]) {
        const length = push.apply(this, pushed);
        if (active && attempt(() => pushed.some(isConsentCommand))) update();
        return length;
      };
      dataLayer.push = wrapper;
      // The undo: the push as it was, or, if GTM wrapped ours since, a wrapper that only passes pushes through.
      return () => {
        active = false;
        if (dataLayer.push !== wrapper) return;
        if (wasOwn) dataLayer.push = push;
        else delete (dataLayer as { push?: unknown }).push;
      };
    },
  };
}
