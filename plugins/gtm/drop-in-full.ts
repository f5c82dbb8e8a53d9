/** The full drop-in, dist/kustomer-chat-gtm.full.min.js: the lean one plus the GA4-ready pushes and debug messages. */
import { gtmDataLayer } from './index';
import { startDropIn } from './start-drop-in';

startDropIn(({ dataLayerName, ga4 }) => gtmDataLayer({ dataLayerName, ga4 }));
