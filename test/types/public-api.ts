// Compile-only: `npm test` type-checks this file (test/unit/package.test.ts). Lines marked @ts-expect-error
// must stay errors, so the public types keep rejecting what they should.
import type { Analytics, Plugin } from '@segment/analytics-next';
import { createChatTracker, identityStitching, type ChatEvent, type ChatTracker, type Destination, type TrackerStats } from '../../core/index';
import { ga4DataLayer, googleConsentMode, gtmDataLayer } from '../../plugins/gtm/index';
import { kustomerChatPlugin, segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination, trackKustomerChat } from '../../plugins/rudderstack/index';
import { gtagDestination } from '../../plugins/gtag/index';

declare const analytics: Analytics;
declare const rudderanalytics: { track(event: string, properties?: object, options?: object): void; ready(callback: () => void): void };

const custom: Destination = { name: 'console', send: (event: ChatEvent) => void event.conversationId };
const tracker: ChatTracker = createChatTracker({
  destinations: [gtmDataLayer(), ga4DataLayer(), gtagDestination(), segmentDestination(analytics), rudderstackDestination(rudderanalytics), custom],
  consent: { granted: () => true, whileDenied: 'drop' },
  stitchIdentities: identityStitching({ attributes: { gaClientId: 'gaClientIdStr' } }),
}).start();
tracker.emit('proactive_trigger', { conversationId: 'c1' });
const plugin: Plugin = kustomerChatPlugin({ eventNames: { chat_opened: 'Chat Opened' } });
const pluginStats: TrackerStats = kustomerChatPlugin().stats();
void pluginStats;
trackKustomerChat(rudderanalytics).stop();
createChatTracker({ destinations: [gtmDataLayer()], consent: googleConsentMode({ type: 'ad_storage', whileDenied: 'hold' }) });
void plugin;

// @ts-expect-error: not an action of the schema
tracker.emit('chat opened');
// @ts-expect-error: a destination needs send()
createChatTracker({ destinations: [{ name: 'nothing' }] });
// A stitcher takes the tracker's context; identity names are open (any destination may tell its own).
identityStitching({ attributes: { crmVisitorId: 'crmVisitorIdStr' } })({
  window: {} as Window,
  conversationId: 'c1',
  identities: () => ({ gaClientId: '1.2', crmVisitorId: undefined }),
  debug: () => {},
  failed: () => {},
});
// @ts-expect-error: an attribute name is a string
identityStitching({ attributes: { gaClientId: 1 } });
// @ts-expect-error: a stitcher reports failures through the context
identityStitching()({ window: {} as Window, conversationId: 'c1', identities: () => ({}), debug: () => {} });
// Hooks return their undo, which stop() calls; a hook that returns nothing (written before) still fits.
createChatTracker({
  destinations: [{ name: 'timer', send() {}, onReady: (flush) => { const timer = setInterval(flush, 1000); return () => clearInterval(timer); } }, { name: 'old', send() {}, onReady() {} }],
  consent: { granted: () => true, subscribe: () => {} },
});
// @ts-expect-error: an undo is a function
createChatTracker({ destinations: [], consent: { granted: () => true, subscribe: () => 'unsubscribe' } });
