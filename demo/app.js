// The demo page: the library as a site would wire it (from the built ESM files in dist/), the Kustomer
// stand-in behind the buttons, and a live view of what reached each destination.
import { createChatTracker, identityStitching } from '/dist/index.js';
import { GA4_EVENT_NAMES, gtmDataLayer } from '/dist/gtm.js';
import { segmentDestination } from '/dist/segment.js';
import { rudderstackDestination } from '/dist/rudderstack.js';
import { installKustomerStandIn } from '/support/kustomer-stand-in.js';

// GA4's own tag would have set its client id cookie; the demo has no GA4 tag, so it sets one like it.
document.cookie = '_ga=GA1.1.1234567890.1733570000; path=/';

// 1. The whole integration: one tracker, every destination; identity stitching writes the visitor's ids into the
// conversation, where the webhook handler on the server finds them (docs/server.md, "Ids and stitching").
const tracker = createChatTracker({
  destinations: [gtmDataLayer({ ga4: true }), segmentDestination(window.analytics), rudderstackDestination(window.rudderanalytics)],
  stitchIdentities: identityStitching(),
}).start();
window.tracker = tracker;

// 2. Kustomer's widget and headless core, loaded and started the way Kustomer's scripts do it.
const kustomer = installKustomerStandIn(window);
kustomer.loadWidgetLoader();
window.Kustomer.start({ brandId: 'demo-brand' });
kustomer.deliverWidgetSdk();
kustomer.loadCore();
window.KustomerCore.init({ brandId: 'demo-brand' });

// 3. The live panel.
const $ = (id) => document.getElementById(id);
const GA4_NAMES = new Set(Object.values(GA4_EVENT_NAMES));

function field(name, value) {
  const row = document.createElement('div');
  row.className = value === undefined ? 'field unset' : 'field';
  const key = document.createElement('span');
  key.className = 'key';
  key.textContent = name;
  const val = document.createElement('span');
  val.className = 'value';
  val.textContent = value === undefined ? 'undefined' : JSON.stringify(value);
  row.append(key, val);
  return row;
}

function card(title, fields) {
  const item = document.createElement('li');
  item.className = 'card fresh';
  const heading = document.createElement('div');
  heading.className = 'title';
  heading.textContent = title;
  item.append(heading, ...Object.entries(fields).map(([name, value]) => field(name, value)));
  setTimeout(() => item.classList.remove('fresh'), 1200);
  return item;
}

function show(column, item) {
  const cards = $(`cards-${column}`);
  cards.append(item);
  $(`count-${column}`).textContent = String(cards.children.length);
}

function showStats() {
  $('stats').textContent = Object.entries(tracker.stats().destinations)
    .map(([name, s]) => `${name.padEnd(12)}${s.delivered} delivered · ${s.buffered} buffered · ${s.failed} failed`)
    .join('\n');
}
setInterval(showStats, 300);

const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

function showPush(entry) {
  if (entry.event === 'Kustomer_Chat_Event') {
    const { chat_Action, conversationId, satisfactionScore, eventId } = entry;
    show('dataLayer', card('Kustomer_Chat_Event', { chat_Action, conversationId, satisfactionScore, eventId }));
  } else if (GA4_NAMES.has(entry.event)) {
    const { event, ...params } = entry;
    show('ga4', card(event, defined(params)));
  }
}

// GTM watches the dataLayer by wrapping push() when gtm.js loads; the demo does the same.
const dataLayer = window.dataLayer;
dataLayer.forEach(showPush);
const push = dataLayer.push;
dataLayer.push = function (...entries) {
  const result = push.apply(this, entries);
  // Rendered after the push returns: the demo's view stays out of the tracker's delivery.
  queueMicrotask(() => entries.forEach(showPush));
  return result;
};

const stream = new EventSource('/collected/stream');
const streamOpen = new Promise((resolve) => (stream.onopen = resolve));
stream.onmessage = (message) => {
  const { destination, via, event } = JSON.parse(message.data);
  const item =
    destination === 'ga4'
      ? card(event.name, event.params) // GA4's Measurement Protocol, from the server
      : card(event.event, { ...(destination === 'segment' ? { messageId: event.messageId } : {}), ...event.properties });
  if (via === 'server') item.classList.add('server');
  show(destination, item);
};

// What Kustomer's servers learn of the chat: the demo server's stand-in of them sends the signed webhooks.
const tellKustomer = (activity) => {
  const described = kustomer.state.describedConversations.filter((d) => d.conversationId === activity.conversationId);
  const custom = Object.assign({}, ...described.map((d) => d.customAttributes));
  return fetch('/demo/kustomer-activity', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...activity, custom }) });
};

// 4. The buttons drive the stand-in. Message text is shown here and nowhere else.
let conversationId;
const say = (who, text) => {
  const line = document.createElement('li');
  line.className = who;
  line.textContent = text;
  $('transcript').append(line);
  $('transcript').scrollTop = 1e6;
};
const setOpen = (open) => {
  $('widget').dataset.open = String(open);
  $('widget-state').textContent = open ? 'open' : 'closed';
};
const needConversation = ['send', 'reply', 'rate', 'end'];
const enable = (ids, on) => ids.forEach((id) => ($(id).disabled = !on));

const actions = {
  open() {
    kustomer.open();
    setOpen(true);
    enable(['start'], true);
  },
  start() {
    // A fresh id each time: a conversation already reported in this browser session is not reported again.
    conversationId = `conv_${Math.random().toString(36).slice(2, 8)}`;
    kustomer.startConversation(conversationId);
    tellKustomer({ kind: 'start', conversationId });
    say('system', `Conversation ${conversationId} started`);
    enable(needConversation, true);
  },
  send() {
    const { body, messageId } = kustomer.visitorSends(conversationId, 'Hi, my email is carol@example.com: where is my order?');
    tellKustomer({ kind: 'sent', conversationId, messageId });
    say('visitor', body);
  },
  reply() {
    const { body, messageId } = kustomer.agentReplies(conversationId, 'Hello Carol, this is Alice: it ships today.');
    tellKustomer({ kind: 'received', conversationId, messageId });
    say('agent', body);
  },
  async rate() {
    // The form is shown (satisfaction requested); the rating goes back through KustomerCore.submitSatisfactionForm.
    say('system', 'Satisfaction form shown');
    const { response } = await kustomer.rate(conversationId, 5, 'Alice was great, call me on +1 555 0100');
    tellKustomer({ kind: 'rated', conversationId, rating: 5, satisfactionId: response?.satisfactionId });
    say('system', 'Rated ★★★★★ "Alice was great, call me on +1 555 0100"');
  },
  end() {
    kustomer.endConversation(conversationId);
    tellKustomer({ kind: 'ended', conversationId });
    say('system', 'Conversation ended');
    enable(needConversation, false);
  },
  close() {
    kustomer.close();
    setOpen(false);
  },
};

for (const [id, run] of Object.entries(actions)) $(id).addEventListener('click', run);
$('play').addEventListener('click', async () => {
  for (const id of ['open', 'start', 'send', 'reply', 'rate', 'end', 'close']) await actions[id]();
});

await Promise.all([kustomer.initialized(), window.analytics, window.rudderanalyticsReady, streamOpen]);
enable(['open', 'close', 'play'], true);
document.body.dataset.state = 'ready';
