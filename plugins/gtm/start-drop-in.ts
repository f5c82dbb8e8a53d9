/**
 * What both drop-in builds do (drop-in.ts, drop-in-full.ts): start tracking into window.dataLayer with the
 * copy-paste listener's layout and expose the tracker as window.KustomerChatAnalytics. Included twice, the second
 * copy finds the first and does nothing.
 *
 * Options, first found wins:
 * - `window.KustomerChatAnalyticsSettings = { dataLayerName: 'dl', debug: true, ga4: true }`, set before the
 *   drop-in runs. The GTM container's tag sets it from GTM variables: GTM re-creates a Custom HTML tag's
 *   scripts from their text alone, so attributes on them do not survive.
 * - Attributes of the script tag, for the hosted file: `<script src="kustomer-chat-gtm.min.js" data-debug data-data-layer="dl">`.
 */
import { composeTracker } from '../../core/tracker';
import type { Destination } from '../../core/types';

interface DropInSettings {
  /** The page's data layer, default `'dataLayer'`: the name in GTM's snippet (`...'script','dl','GTM-XXXX'`). */
  dataLayerName?: string;
  debug?: boolean;
  ga4?: boolean;
}

const win = window as Window & { KustomerChatAnalytics?: unknown; KustomerChatAnalyticsSettings?: unknown };

/** The settings object, copied (a throwing getter counts as no settings), or `{}`. */
function readSettings(): { [key in keyof DropInSettings]?: unknown } {
  try {
    const settings = win.KustomerChatAnalyticsSettings;
    return settings && typeof settings === 'object' ? { ...settings } : {};
  } catch {
    return {};
  }
}

/** Starts the drop-in with the destination the build makes of the settings, unless a tracker already runs. */
export function startDropIn(destination: (settings: { dataLayerName?: string; ga4: boolean; debug: boolean }) => Destination): void {
  // An element with id="KustomerChatAnalytics" also shows up as window.KustomerChatAnalytics: only a tracker counts.
  const running = win.KustomerChatAnalytics as { stats?: unknown } | null | undefined;
  if (typeof running?.stats === 'function') return;
  const attributes = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
  // GTM variables may hand over anything: a setting of the wrong type counts as unset.
  const { dataLayerName, ga4, debug } = readSettings();
  const flag = (value: unknown, name: string) => (typeof value === 'boolean' ? value : name in attributes);
  const debugOn = flag(debug, 'debug');
  // No consent option and no identity stitching here: the tracker goes without those stages.
  win.KustomerChatAnalytics = composeTracker(
    {
      destinations: [
        destination({
          dataLayerName: typeof dataLayerName === 'string' && dataLayerName ? dataLayerName : attributes.dataLayer,
          ga4: flag(ga4, 'ga4'),
          debug: debugOn,
        }),
      ],
      debug: debugOn,
    },
    {},
  ).start();
}
