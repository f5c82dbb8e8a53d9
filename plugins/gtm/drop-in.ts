/**
 * The lean drop-in, dist/kustomer-chat-gtm.min.js and the GTM container's ES5 tag: the `Kustomer_Chat_Event`
 * pushes only, built without debug messages (DEBUG_BUILD). The GA4-ready pushes and the debug messages are in the
 * full build (drop-in-full.ts); asked for here, each says so once on the console.
 */
import { chatDataLayer } from './data-layer';
import { startDropIn } from './start-drop-in';

/** Says once that the full build has what a setting asked for. */
const lacks = (what: string) =>
  // eslint-disable-next-line no-console
  console.warn(`[kustomer-chat-analytics] this build has no ${what}: kustomer-chat-gtm.full.min.js has them`);

startDropIn(({ dataLayerName, ga4, debug }) => {
  if (ga4) lacks('GA4 pushes');
  if (debug) lacks('debug messages');
  return chatDataLayer({ dataLayerName });
});
