/**
 * Personal data planted in every field Kustomer provides must never leave the page: not into the dataLayer, not
 * into gtag calls, not into the batches the REAL Segment and RudderStack SDKs post to the collector, not into any
 * request URL. Then `allowFields` is shown to be the only way to forward more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInReady, standInScript, startE2e } from '../../support/e2e-page.js';
import { buildSdkBundles } from '../../support/sdk-bundles.js';
import { rudderLoadSnippet, segmentLoadSnippet } from '../../support/sdk-setup.js';
import { reliabilityReport } from '../support/reliability-report.js';

const SECRETS = {
  email: 'carol.secret@example.com',
  phone: '+1 (555) 867-5309',
  'phone, E.164': '+15558675309',
  card: '4111 1111 1111 1111',
  'card, digits only': '4111111111111111',
  JWT: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYXJvbCJ9.c2VjcmV0c2ln',
  'message text': 'my parcel SECRET-ORDER-991 never arrived',
  "agent's name": 'Agent Zorblatt Quux',
  'CSAT free text': 'Quux was rude, Zorblatt-level rude',
  'custom attribute': 'loyalty-tier-platinum-secret',
};
/** What is searched for: each secret, and fragments a partial leak would still show. */
const NEEDLES = [...Object.values(SECRETS), 'carol.secret', '867-5309', '5558675309', '4111 1111', 'eyJhbGciOiJIUzI1NiJ9', 'SECRET-ORDER', 'Zorblatt', 'platinum-secret'];

const report = reliabilityReport('privacy');
let e2e;
beforeAll(async () => {
  await buildSdkBundles();
  e2e = await startE2e();
});
afterAll(async () => {
  await e2e?.close();
  await report.save();
});

/** The real SDKs, a recording gtag, and every destination built from dist/, with `options` for the tracker. */
function page(collectorUrl, options = '{}') {
  return `<!doctype html>
    <script src="/test/.cache/sdks/sdks.js"></script>
    <script>
      ${segmentLoadSnippet(collectorUrl)}
      ${rudderLoadSnippet(collectorUrl)}
      window.gtagCalls = [];
      window.gtag = function () { window.gtagCalls.push(Array.from(arguments)); };
    </script>
    ${standInScript}
    <script type="module">
      import { createChatTracker } from '/dist/index.js';
      import { gtmDataLayer, ga4DataLayer } from '/dist/gtm.js';
      import { gtagDestination } from '/dist/gtag.js';
      import { segmentDestination } from '/dist/segment.js';
      import { rudderstackDestination } from '/dist/rudderstack.js';
      window.tracker = createChatTracker(Object.assign({
        destinations: [gtmDataLayer(), ga4DataLayer({ dataLayerName: 'ga4Layer' }), gtagDestination(), segmentDestination(), rudderstackDestination()],
      }, ${options})).start();
    </script>`;
}

/** Every event name fired twice: secrets in the id fields, then valid ids with secrets everywhere else. */
async function chatWithSecrets(page, secrets) {
  return page.evaluate(async (s) => {
    const k = window.kustomer;
    await k.loadStartedWidget();
    k.loadCore();
    window.KustomerCore.init({});
    await k.initialized();
    const everything = `${s.email} ${s.phone} ${s['card, digits only']} ${s.JWT} ${s['message text']}`;
    const personal = {
      body: everything,
      attachments: [{ name: `statement-${s['card, digits only']}.pdf`, url: `https://files.example/${s.email}?token=${s.JWT}` }],
      meta: { email: s.email, phone: s.phone, card: s.card, note: s['message text'], channel: 'web-chat' },
      sentBy: { type: 'customer', id: s.email, displayName: s["agent's name"], avatarUrl: `https://a.example/${s.email}.png` },
      customAttributes: { tier: s['custom attribute'], email: s.email },
      email: s.email,
      phone: s['phone, E.164'],
      jwtToken: s.JWT,
    };
    const idsAsSecrets = [s.email, s.JWT, s['phone, E.164'], s.phone, s.card];
    const fire = (sdk, name, payload) => (sdk === 'widget' ? k.fireWidget(name, payload) : k.fireCore(name, payload));
    let unread = 0;
    for (const [i, secretId] of idsAsSecrets.entries()) {
      // secrets in the id fields
      fire('widget', 'onConversationCreate', { ...personal, conversationId: secretId, createdAt: new Date().toISOString(), isInAssistantMode: false });
      fire('widget', 'onUnread', { total: ++unread, change: { conversationId: secretId, lastMessage: s['message text'], sentBy: { displayName: s["agent's name"] } } });
      fire('core', 'onMessageSent', { ...personal, messageId: secretId, conversationId: secretId, direction: 'in' });
      fire('core', 'onMessageReceived', { ...personal, messageId: secretId, conversationId: secretId, direction: 'out' });
      fire('core', 'onSatisfactionReceived', { conversationId: secretId, satisfactionId: secretId, form: { scale: 5, question: s['CSAT free text'] }, response: { rating: 4, followupAnswer: s['CSAT free text'] } });
      fire('core', 'onConversationEnded', { ...personal, conversationId: secretId });
      // valid ids, secrets everywhere else
      const conversationId = `conv_private_${i}`;
      fire('widget', 'onOpen', personal);
      fire('widget', 'onConversationCreate', { ...personal, conversationId, createdAt: new Date().toISOString(), isInAssistantMode: false });
      fire('core', 'onMessageSent', { ...personal, messageId: `msg_in_${i}`, conversationId, direction: 'in' });
      fire('core', 'onMessageReceived', { ...personal, messageId: `msg_out_${i}`, conversationId, direction: 'out' });
      fire('widget', 'onUnread', { total: ++unread, change: { conversationId, lastMessage: s['message text'] } });
      fire('core', 'onSatisfactionReceived', { conversationId, satisfactionId: `sat_${i}`, timetoken: Date.now(), form: { scale: 5, question: s['CSAT free text'], id: s.email }, response: { rating: 5, followupAnswer: s['CSAT free text'] } });
      fire('core', 'onConversationEnded', { ...personal, conversationId, ended: true });
      fire('widget', 'onLogin', { ...personal, jwtToken: s.JWT });
      fire('widget', 'onLogout', personal);
      fire('widget', 'onClose', personal);
    }
    return window.tracker.stats();
  }, secrets);
}

/** Everything that left the tracker: the collector's requests (URL, headers, body), the page's request URLs, the dataLayers, gtag calls. */
async function everythingSent(browserPage, collector) {
  const inPage = await browserPage.evaluate(() => JSON.stringify({ dataLayer: window.dataLayer, ga4Layer: window.ga4Layer, gtag: window.gtagCalls }));
  return { inPage, collector: JSON.stringify(collector.requests), urls: browserPage.requestUrls.join('\n') };
}

const postedTo = (collector, path) => collector.requests.filter((request) => request.path === path).map((request) => request.body);

async function waitForDelivery(collector, stats) {
  const expected = stats.destinations.segment.delivered;
  await collector.waitFor(() => postedTo(collector, '/v1/t').length >= expected && postedTo(collector, '/v1/track').length >= expected, 10_000);
  return { segment: postedTo(collector, '/v1/t'), rudderstack: postedTo(collector, '/v1/track') };
}

describe('privacy', () => {
  it('sends no planted email, phone, card, JWT, message, agent name, CSAT text or custom attribute to any destination', async () => {
    e2e.collector.reset();
    const browserPage = await e2e.open(page(e2e.collector.url));
    await standInReady(browserPage);
    await browserPage.evaluate(() => Promise.all([window.analytics, window.rudderanalyticsReady]).then(() => true));
    const stats = await chatWithSecrets(browserPage, SECRETS);
    const batches = await waitForDelivery(e2e.collector, stats);
    const sent = await everythingSent(browserPage, e2e.collector);
    const found = (text) => NEEDLES.filter((needle) => text.includes(needle));
    const leaks = { 'dataLayer, GA4 dataLayer, gtag': found(sent.inPage), 'Segment and RudderStack requests': found(sent.collector), 'request URLs': found(sent.urls) };
    const gtagCount = await browserPage.evaluate(() => window.gtagCalls.length);
    const dataLayerCount = await browserPage.evaluate(() => window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event').length);
    const ga4LayerCount = await browserPage.evaluate(() => window.ga4Layer.length);
    const described = await browserPage.evaluate(() => window.kustomer.state.describedConversations.length);
    for (const [label, secret] of Object.entries(SECRETS)) {
      report.row({
        'planted value': label,
        example: secret,
        'planted in': label.startsWith('card, digits') ? 'body, attachment names, meta (not id fields: see note)' : 'every field, ids included',
        'found in dataLayer / GA4 layer / gtag': sent.inPage.includes(secret) ? 'FOUND' : 'no',
        'found in Segment / RudderStack requests': sent.collector.includes(secret) ? 'FOUND' : 'no',
        'found in request URLs': sent.urls.includes(secret) ? 'FOUND' : 'no',
      });
    }
    const leakCount = Object.values(leaks).reduce((n, list) => n + list.length, 0);
    report.row({ destination: 'dataLayer (GTM layout)', 'events received': dataLayerCount, leaks: leaks['dataLayer, GA4 dataLayer, gtag'].length }, 'Events that carried the planted payloads out');
    report.row({ destination: 'GA4 dataLayer', 'events received': ga4LayerCount, leaks: leaks['dataLayer, GA4 dataLayer, gtag'].length }, 'Events that carried the planted payloads out');
    report.row({ destination: 'gtag', 'events received': gtagCount, leaks: leaks['dataLayer, GA4 dataLayer, gtag'].length }, 'Events that carried the planted payloads out');
    report.row({ destination: 'Segment collector (real analytics-next)', 'events received': batches.segment.length, leaks: leaks['Segment and RudderStack requests'].length }, 'Events that carried the planted payloads out');
    report.row({ destination: 'RudderStack collector (real v3 SDK)', 'events received': batches.rudderstack.length, leaks: leaks['Segment and RudderStack requests'].length }, 'Events that carried the planted payloads out');
    report.note("A 16-digit number is a valid id by the id rule (`/^[A-Za-z0-9_-]{1,64}$/`), so a card number given AS a conversation or message id would be forwarded: Kustomer's ids are never card numbers, so it is planted only in text fields. Emails, JWTs and phone numbers with `+`, spaces or dots are planted in the id fields too.");
    report.note('`describeConversation` was called ' + described + ' times by the library: it never sends custom attributes to Kustomer either.');
    report.total('leaks', leakCount);

    expect(stats.destinations.segment.delivered).toBeGreaterThanOrEqual(40);
    expect(batches.segment.length).toBe(stats.destinations.segment.delivered);
    expect(batches.rudderstack.length).toBe(stats.destinations.rudderstack.delivered);
    expect(gtagCount).toBe(stats.destinations.gtag.delivered);
    expect(dataLayerCount).toBe(stats.destinations.gtm.delivered);
    expect(ga4LayerCount).toBe(stats.destinations['ga4-dataLayer'].delivered);
    expect(leaks).toEqual({ 'dataLayer, GA4 dataLayer, gtag': [], 'Segment and RudderStack requests': [], 'request URLs': [] });
    expect(described).toBe(0);
    expect(browserPage.pageErrors).toEqual([]);
  });

  it('forwards a payload field only when allowFields lists it, and still nothing else', async () => {
    e2e.collector.reset();
    const browserPage = await e2e.open(page(e2e.collector.url, `{ allowFields: ['meta.channel', 'sentBy.type', 'attachments'] }`));
    await standInReady(browserPage);
    await browserPage.evaluate(() => Promise.all([window.analytics, window.rudderanalyticsReady]).then(() => true));
    const stats = await chatWithSecrets(browserPage, SECRETS);
    const batches = await waitForDelivery(e2e.collector, stats);
    const sent = await everythingSent(browserPage, e2e.collector);
    const found = (text) => NEEDLES.filter((needle) => text.includes(needle));
    const inPage = await browserPage.evaluate(() => ({
      gtm: window.dataLayer.filter((entry) => entry.event === 'Kustomer_Chat_Event').some((entry) => 'meta.channel' in entry || 'meta_channel' in entry),
      ga4: window.ga4Layer.filter((entry) => entry.meta_channel === 'web-chat').length,
      gtag: window.gtagCalls.filter((call) => call[2].meta_channel === 'web-chat').length,
    }));
    const segmentWith = batches.segment.filter((event) => event.properties['meta.channel'] === 'web-chat' && event.properties['sentBy.type'] === 'customer').length;
    const rudderWith = batches.rudderstack.filter((event) => event.properties['meta.channel'] === 'web-chat').length;
    const objectForwarded = [...batches.segment, ...batches.rudderstack].some((event) => 'attachments' in event.properties);
    report.row({ destination: 'Segment collector', 'events with meta.channel and sentBy.type': segmentWith, 'planted values found': found(sent.collector).length }, 'allowFields: [meta.channel, sentBy.type, attachments]');
    report.row({ destination: 'RudderStack collector', 'events with meta.channel and sentBy.type': rudderWith, 'planted values found': found(sent.collector).length }, 'allowFields: [meta.channel, sentBy.type, attachments]');
    report.row({ destination: 'gtag / GA4 dataLayer (as meta_channel)', 'events with meta.channel and sentBy.type': `${inPage.gtag} / ${inPage.ga4}`, 'planted values found': found(sent.inPage).length }, 'allowFields: [meta.channel, sentBy.type, attachments]');
    report.row({ destination: 'GTM layout dataLayer', 'events with meta.channel and sentBy.type': inPage.gtm ? 'some' : '0 (fixed layout: never carries allowFields)', 'planted values found': found(sent.inPage).length }, 'allowFields: [meta.channel, sentBy.type, attachments]');
    report.note('`attachments`, though listed, is an array: allowFields forwards strings, numbers and booleans only, so it is not forwarded.');
    report.total('leaks', found(sent.collector).length + found(sent.inPage).length + found(sent.urls).length);

    // Every payload but the satisfaction ones carried meta and sentBy: those events gain the listed fields.
    const withFields = batches.segment.filter((event) => event.event !== 'Live Chat Satisfaction Submitted').length;
    expect(withFields).toBeGreaterThan(0);
    expect(segmentWith).toBe(withFields);
    expect(rudderWith).toBe(withFields);
    expect(inPage.gtag).toBe(withFields);
    expect(inPage.ga4).toBe(withFields);
    expect(inPage.gtm).toBe(false);
    expect(objectForwarded).toBe(false);
    expect({ collector: found(sent.collector), inPage: found(sent.inPage), urls: found(sent.urls) }).toEqual({ collector: [], inPage: [], urls: [] });
  });
});
