/**
 * The one stand-in for Kustomer's web SDKs used by every test and the demo. It reproduces the documented API
 * (see ../shared/SDK-NOTES.md), including what makes real pages hard:
 *
 * Chat widget (widget.js):
 *  - loadWidgetLoader(): defines `window.Kustomer` with ONLY `start`, and fires the window event
 *    `kustomerLoaded` at once. `start(options, callback)` calls are queued.
 *  - deliverWidgetSdk(): the rest of the SDK arrives: `window.Kustomer` is REPLACED by the full API object, and
 *    the queued start calls run. Initialisation finishes asynchronously; then the start callback runs: the
 *    only "ready" signal. Whether the real SDK replaces the loader object or fills it in is not documented:
 *    `deliverWidgetSdk({ inPlace: true })` copies the API onto the loader object instead, and tests run both.
 *  - Methods other than start/addListener/removeListener called before initialisation has finished "won't
 *    execute" (Kustomer's troubleshooting page): they are ignored and recorded in `ignoredCalls`.
 *  - addListener(name, fn(payload, error)) / removeListener(name, sameFn). Listener exceptions are caught and
 *    recorded in `listenerErrors` (tests assert there are none).
 *  - events: onOpen, onClose (no payload), onConversationCreate {conversationId, createdAt, ended,
 *    isInAssistantMode}, onUnread {total, change: {conversationId}}, onLogin, onLogout.
 *  - describeConversation({conversationId, customAttributes}, cb) is recorded in `describedConversations`.
 *
 * Headless core (core.js):
 *  - loadCore(): defines `window.KustomerCore` and fires `kustomerCoreLoaded`; `init(options, callback)`
 *    finishes asynchronously, then calls back.
 *  - events: onConversationCreate, onMessageSent / onMessageReceived {messageId, conversationId, direction,
 *    createdAt, body, attachments, meta, sentBy}, onSatisfactionReceived {conversationId, satisfactionId,
 *    timetoken, form, response: {rating, followupAnswer}}, onConversationEnded {conversationId, createdAt, ended}.
 *
 * Works in a browser (served as a module) and in node with jsdom's window.
 *
 *   const k = installKustomerStandIn(window)
 *   k.loadWidgetLoader(); Kustomer.start({ brandId: 'b' }, cb); k.deliverWidgetSdk(); await k.initialized()
 *   k.open(); k.startConversation('c1'); ...
 */

function createEmitter(record) {
  const listeners = new Map();
  return {
    addListener(name, fn) {
      if (typeof fn !== 'function') return;
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
    },
    removeListener(name, fn) {
      listeners.get(name)?.delete(fn);
    },
    count(name) {
      return name ? listeners.get(name)?.size ?? 0 : [...listeners.values()].reduce((n, set) => n + set.size, 0);
    },
    fire(name, payload, error) {
      for (const fn of [...(listeners.get(name) ?? [])]) {
        try {
          fn(payload, error);
        } catch (thrown) {
          record.listenerErrors.push({ name, error: thrown });
        }
      }
    },
  };
}

const later = (win, ms, fn) => win.setTimeout(fn, ms);

export function installKustomerStandIn(win, { initDelayMs = 5 } = {}) {
  const state = {
    listenerErrors: [],
    ignoredCalls: [],
    describedConversations: [],
    startCalls: 0,
    unreadTotal: 0,
    messageSeq: 0,
  };
  const widgetEvents = createEmitter(state);
  const coreEvents = createEmitter(state);
  let widgetStarted = false;
  let coreStarted = false;
  let queuedStarts = [];
  let initialized = [];

  const afterInit = (markStarted, callback) =>
    new Promise((resolve) => {
      later(win, initDelayMs, () => {
        markStarted();
        if (typeof callback === 'function') callback();
        resolve();
      });
    });

  const whenStarted = (name, fn) =>
    function (...args) {
      if (!widgetStarted) {
        state.ignoredCalls.push(name);
        win.console.warn(`Kustomer.${name}() ignored: call it after Kustomer.start() has called back`);
        return undefined;
      }
      return fn(...args);
    };

  const fullWidgetSdk = () => ({
    start(options, callback) {
      state.startCalls++;
      initialized.push(afterInit(() => (widgetStarted = true), callback));
    },
    stop: whenStarted('stop', () => {
      widgetStarted = false;
    }),
    addListener: widgetEvents.addListener,
    removeListener: widgetEvents.removeListener,
    open: whenStarted('open', () => api.open()),
    close: whenStarted('close', () => api.close()),
    login: whenStarted('login', () => widgetEvents.fire('onLogin', {})),
    logout: whenStarted('logout', () => widgetEvents.fire('onLogout', {})),
    describeCustomer: whenStarted('describeCustomer', () => {}),
    describeConversation: whenStarted('describeConversation', (params, callback) => {
      state.describedConversations.push(JSON.parse(JSON.stringify(params)));
      if (typeof callback === 'function') callback({}, undefined);
    }),
    isChatAvailable: whenStarted('isChatAvailable', () => ({ available: true })),
    createConversation: whenStarted('createConversation', () => {}),
    openConversationById: whenStarted('openConversationById', () => {}),
    getOpenConversations: whenStarted('getOpenConversations', (callback) => callback?.([], undefined)),
    getUnreadCount: whenStarted('getUnreadCount', () => ({ total: state.unreadTotal, conversations: {} })),
  });

  const message = (conversationId, direction, body) => ({
    messageId: `m${++state.messageSeq}`,
    conversationId,
    direction,
    createdAt: new Date().toISOString(),
    body,
    attachments: [{ name: 'invoice.pdf', url: 'https://example.test/invoice.pdf' }],
    meta: {},
    sentBy: direction === 'out' ? { type: 'user', id: 'agent1', displayName: 'Alice Agent', avatarUrl: 'https://example.test/a.png' } : { type: 'customer', id: 'cust1', displayName: 'Carol Customer' },
  });

  const api = {
    state,
    /** Resolves when every start/init called so far has called back. */
    initialized: () => Promise.all(initialized),
    get widgetStarted() {
      return widgetStarted;
    },
    widgetListenerCount: (name) => widgetEvents.count(name),
    coreListenerCount: (name) => coreEvents.count(name),

    loadWidgetLoader() {
      win.Kustomer = {
        start(options, callback) {
          queuedStarts.push([options, callback]);
        },
      };
      win.dispatchEvent(new win.Event('kustomerLoaded'));
    },
    deliverWidgetSdk({ inPlace = false } = {}) {
      const sdk = inPlace ? Object.assign(win.Kustomer, fullWidgetSdk()) : fullWidgetSdk();
      if (!inPlace) win.Kustomer = sdk;
      const queued = queuedStarts;
      queuedStarts = [];
      for (const [options, callback] of queued) sdk.start(options, callback);
    },
    /** Loader, SDK and a started widget at once, as on a page where the widget loaded long ago. */
    async loadStartedWidget() {
      api.loadWidgetLoader();
      win.Kustomer.start({ brandId: 'brand1' });
      api.deliverWidgetSdk();
      await api.initialized();
    },
    /** The widget and the headless core, both loaded and started. */
    async loadStartedWidgetAndCore() {
      await api.loadStartedWidget();
      api.loadCore();
      win.KustomerCore.init({ brandId: 'brand1' });
      await api.initialized();
    },
    loadCore() {
      win.KustomerCore = {
        init(options, callback) {
          initialized.push(afterInit(() => (coreStarted = true), callback));
        },
        addListener: coreEvents.addListener,
        removeListener: coreEvents.removeListener,
      };
      win.dispatchEvent(new win.Event('kustomerCoreLoaded'));
    },

    // What the widget reports when a visitor and an agent chat. Nothing fires before initialisation.
    fireWidget(name, payload, error) {
      if (widgetStarted) widgetEvents.fire(name, payload, error);
    },
    fireCore(name, payload, error) {
      if (coreStarted) coreEvents.fire(name, payload, error);
    },
    open: () => api.fireWidget('onOpen'),
    close: () => api.fireWidget('onClose'),
    startConversation(conversationId, createdAt = new Date().toISOString()) {
      const payload = { conversationId, createdAt, ended: false, isInAssistantMode: false };
      api.fireWidget('onConversationCreate', payload);
      api.fireCore('onConversationCreate', payload);
    },
    visitorSends(conversationId, body = 'Hi, my email is carol@example.com') {
      const sent = message(conversationId, 'in', body);
      api.fireCore('onMessageSent', sent);
      return sent;
    },
    agentReplies(conversationId, body = 'Hello Carol, this is Alice') {
      const received = message(conversationId, 'out', body);
      api.fireCore('onMessageReceived', received);
      state.unreadTotal++;
      api.fireWidget('onUnread', { total: state.unreadTotal, change: { conversationId, lastMessage: body } });
      return received;
    },
    readMessages(conversationId) {
      state.unreadTotal = 0;
      api.fireWidget('onUnread', { total: 0, change: { conversationId } });
    },
    rate(conversationId, rating, followupAnswer = 'Alice was great, call me on +1 555 0100') {
      api.fireCore('onSatisfactionReceived', {
        conversationId,
        satisfactionId: `s_${conversationId}`,
        timetoken: Date.now(),
        form: { scale: 5, question: 'How did we do?' },
        response: { rating, followupAnswer },
      });
    },
    endConversation(conversationId) {
      api.fireCore('onConversationEnded', { conversationId, createdAt: new Date().toISOString(), ended: true });
    },
    login: () => api.fireWidget('onLogin', { jwtToken: 'eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImNhcm9sQGV4YW1wbGUuY29tIn0.sig' }),
    logout: () => api.fireWidget('onLogout', {}),

    /** The whole conversation of the issues' "done when": open, start, sent, received, rating 5, ended, close. */
    fullConversation(conversationId = 'conv_abc123') {
      api.open();
      api.startConversation(conversationId);
      api.visitorSends(conversationId);
      api.agentReplies(conversationId);
      api.rate(conversationId, 5);
      api.endConversation(conversationId);
      api.close();
    },
  };
  return api;
}
