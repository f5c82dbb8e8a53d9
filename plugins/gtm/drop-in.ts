/**
 * The browser drop-in for a GTM Custom HTML tag or a plain <script>: it starts tracking into
 * window.dataLayer with the copy-paste listener's layout and exposes the tracker as
 * window.KustomerChatAnalytics. Included twice, the second copy finds the first and does nothing.
 * Options come from the script tag: `<script src="kustomer-chat-gtm.min.js" data-debug data-data-layer="dl">`.
 */
import { createChatTracker } from '../../core/tracker';
import { gtmDataLayer } from './index';

const win = window as Window & { KustomerChatAnalytics?: unknown };
if (!win.KustomerChatAnalytics) {
  const settings = (document.currentScript as HTMLScriptElement | null)?.dataset ?? {};
  win.KustomerChatAnalytics = createChatTracker({
    destinations: [gtmDataLayer({ dataLayerName: settings.dataLayer, ga4: 'ga4' in settings })],
    debug: 'debug' in settings,
  }).start();
}
