/**
 * The browser drop-in for a GTM Custom HTML tag or a plain <script>: it starts tracking into
 * window.dataLayer with the copy-paste listener's layout and exposes the tracker as
 * window.KustomerChatAnalytics. Included twice, the second copy finds the first and does nothing.
 *
 * Options, first found wins:
 * - `window.KustomerChatAnalyticsSettings = { dataLayerName: 'dl', debug: true, ga4: true }`, set before the
 *   drop-in runs. The GTM container's tag sets it from GTM variables: GTM re-creates a Custom HTML tag's
 *   scripts from their text alone, so attributes on them do not survive.
 * - Attributes of the script tag, for the hosted file: `<script src="kustomer-chat-gtm.min.js" data-debug data-data-layer="dl">`.
 */
import { createChatTracker } from '../../core/tracker';
import { gtmDataLayer } from './index';

export interface DropInSettings {
  /** The page's data layer, default `'dataLayer'`: the name in GTM's snippet (`...'script','dl','GTM-XXXX'`). */
  dataLayerName?: string;
  debug?: boolean;
  ga4?: boolean;
}

const win = window as Window & { KustomerChatAnalytics?: unknown; KustomerChatAnalyticsSettings?: unknown };

/** A setting from the settings object, if it has the right type; GTM variables may hand over anything. */
function setting<T>(name: keyof DropInSettings, type: 'string' | 'boolean'): T | undefined {
  let value: unknown;
  try {
    const settings = win.KustomerChatAnalyticsSettings;
    value = settings && typeof settings === 'object' ? (settings as Record<string, unknown>)[name] : undefined;
  } catch {
    return undefined; // a throwing getter: as if unset
  }
  if (type === 'string') return typeof value === 'string' && value.trim() ? (value.trim() as T) : undefined;
  return typeof value === 'boolean' ? (value as T) : undefined;
}

if (!win.KustomerChatAnalytics) {
  const attributes = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
  win.KustomerChatAnalytics = createChatTracker({
    destinations: [
      gtmDataLayer({
        dataLayerName: setting<string>('dataLayerName', 'string') ?? attributes.dataLayer,
        ga4: setting<boolean>('ga4', 'boolean') ?? 'ga4' in attributes,
      }),
    ],
    debug: setting<boolean>('debug', 'boolean') ?? 'debug' in attributes,
  }).start();
}
