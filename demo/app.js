// The demo page: the library as a site would wire it (from the built ESM files in dist/), the Kustomer
// stand-in behind the buttons, and a live view of what reached each destination.
import { createChatTracker } from '/dist/index.js';
import { GA4_EVENT_NAMES, gtmDataLayer } from '/dist/gtm.js';
import { segmentDestination } from '/dist/segment.js';
import { rudderstackDestination } from '/dist/rudderstack.js';
import { installKustomerStandIn } from '/support/kustomer-stand-in.js';

// 1. The whole integration: one tracker, every destination.
const tracker = createChatTracker({
  destinations: [gtmDataLayer({ ga4: true }), segmentDestination(window.analytics), rudderstackDestination(window.rudderanalytics)],
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
  const { destination, event } = JSON.parse(message.data);
  const ids = destination === 'segment' ? { messageId: event.messageId } : {};
  show(destination, card(event.event, { ...ids, ...event.properties }));
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
    say('system', `Conversation ${conversationId} started`);
    enable(needConversation, true);
  },
  send() {
    const { body } = kustomer.visitorSends(conversationId, 'Hi, my email is carol@example.com: where is my order?');
    say('visitor', body);
  },
  reply() {
    const { body } = kustomer.agentReplies(conversationId, 'Hello Carol, this is Alice: it ships today.');
    say('agent', body);
  },
  async rate() {
    // The form is shown (satisfaction requested); the rating goes back through KustomerCore.submitSatisfactionForm.
    say('system', 'Satisfaction form shown');
    await kustomer.rate(conversationId, 5, 'Alice was great, call me on +1 555 0100');
    say('system', 'Rated ★★★★★ "Alice was great, call me on +1 555 0100"');
  },
  end() {
    kustomer.endConversation(conversationId);
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
