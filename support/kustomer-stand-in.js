/**
 * The one stand-in for Kustomer's web SDKs, used by every test, the demo and the bench. It models Kustomer's
 * documentation read strictly, including what makes real pages hard. Each behaviour cites its page:
 *
 * Chat widget (widget.js)
 *  - The loader defines `window.Kustomer` with ONLY `start`, fires `kustomerLoaded` at once and queues `start`
 *    calls until the rest of the SDK arrives.
 *    https://developer.kustomer.com/chat-sdk/docs/load-chat-asynchronously
 *  - `deliverWidgetSdk()`: the rest of the SDK arrives later (how it replaces the loader is not documented, so
 *    every way is modelled: `how`), then runs the queued `start` calls.
 *  - `start(options, callback)` finishes after its network round trip (`initDelayMs`); the callback is the only
 *    ready signal: "Kustomer Chat must finish initializing fully with Kustomer.start() before you can execute
 *    any additional Web SDK methods." https://developer.kustomer.com/chat-sdk/docs/kustomer-start
 *  - Every other method, `addListener` included, called before that "won't execute": ignored, recorded in
 *    `state.ignoredCalls`. https://developer.kustomer.com/chat-sdk/docs/troubleshooting
 *  - `addListener(name, fn(callbackResponse, error))`, `removeListener(name, sameFn)`; `error` is undefined or
 *    an Error. https://developer.kustomer.com/chat-sdk/v2.0-Web/docs/kustomer-add-listener
 *  - Events: onOpen, onClose (no payload); onConversationCreate { conversationId, createdAt, ended,
 *    isInAssistantMode }; onUnread { total, change: { conversationId } } (other fields of `change` are not
 *    documented: none invented); onLogin, onLogout (payload not documented: `{}`).
 *  - `stop(callback)` "removes the chat widget from the page and stops all event listeners"; `start()` again
 *    reinitialises. https://developer.kustomer.com/chat-sdk/docs/kustomer-stop
 *  - `isChatAvailable()` returns `{ availability: 'online' | 'offline' | 'hidden' | 'disabled' | 'none' }`.
 *    https://developer.kustomer.com/chat-sdk/docs/kustomer-is-chat-available
 *  - `describeConversation({ conversationId, customAttributes }, cb)`, recorded in `describedConversations`.
 *    https://developer.kustomer.com/chat-sdk/docs/kustomer-describe-conversation
 *
 * Headless core (core.js)
 *  - `window.KustomerCore` with only `init` and the `kustomerCoreLoaded` event; `init` calls are queued until
 *    the core is there (`deliverCoreSdk()`, scheduled by `loadCore()` unless `{ deliver: false }`); `init`
 *    finishes asynchronously and calls back. https://developer.kustomer.com/docs/chat/web-core-api
 *    https://developer.kustomer.com/chat-sdk/docs/kustomercoreinit
 *  - Events (https://developer.kustomer.com/chat-sdk/docs/kustomercoreaddlistener): onConversationCreate;
 *    onConversationEnded / onConversationUnended { conversationId, createdAt, ended }; onMessageSent /
 *    onMessageReceived { messageId, body, createdAt, direction, conversationId, attachments, meta, sentBy };
 *    onSatisfactionReceived when a conversation RECEIVES a satisfaction form { conversationId, satisfactionId,
 *    timetoken, form: { name, ratingPrompt, ..., scale: { options, labelLow, labelHigh, type } } };
 *    onAssistantEnded { conversationId, isInAssistantMode }.
 *  - `submitSatisfactionForm({ satisfactionId, rating, answers | followupAnswer, submittedAt }, cb)` answers
 *    asynchronously with { conversationId, satisfactionId, form, response: { rating, followupAnswer } }.
 *    https://developer.kustomer.com/chat-sdk/docs/kustomercoresubmitsatisfactionform
 *  - `isChatAvailable()` returns a string. https://developer.kustomer.com/chat-sdk/docs/kustomercoreischatavailable
 *
 * Unkind variations, each an option: `deliverWidgetSdk({ how, acceptEarlyListeners, removeListenerWorks,
 * freeze, availableBeforeStart })`, `loadCore({ availableBeforeStart })`, `installKustomerStandIn(win, { initDelayMs })`, `submitSatisfactionForm` echoing the rating
 * through onSatisfactionReceived (`{ echoSatisfaction: true }`).
 *
 * Works in a browser (served as a module) and in node with jsdom's window.
 *
 *   const k = installKustomerStandIn(window, { initDelayMs: 500 })
 *   k.loadWidgetLoader(); Kustomer.start({ brandId: 'b' }, cb); k.deliverWidgetSdk(); await k.initialized()
 *   k.open(); k.startConversation('c1'); await k.rate('c1', 4); ...
 */

function createEmitter(record, isStarted, sdkName, options) {
  const listeners = new Map();
  return {
    addListener(name, fn) {
      if (!isStarted() && !options.acceptEarlyListeners) {
        record.ignoredCalls.push(`${sdkName}.addListener(${name})`);
        return;
      }
      if (typeof fn !== 'function') return;
      if (!listeners.has(name)) listeners.set(name, []);
      // An array, like a plain event emitter: adding one function twice makes it run twice.
      listeners.get(name).push(fn);
    },
    removeListener(name, fn) {
      if (options.removeListenerWorks === false) return;
      const list = listeners.get(name) ?? [];
      const index = list.indexOf(fn);
      if (index >= 0) list.splice(index, 1);
    },
    /** `Kustomer.stop()` "stops all event listeners". */
    clear() {
      listeners.clear();
    },
    count(name) {
      return name ? listeners.get(name)?.length ?? 0 : [...listeners.values()].reduce((n, list) => n + list.length, 0);
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

export function installKustomerStandIn(win, { initDelayMs = 5 } = {}) {
  const state = {
    listenerErrors: [],
    ignoredCalls: [],
    describedConversations: [],
    submittedForms: 0,
    startCalls: 0,
    unreadTotal: 0,
    messageSeq: 0,
    availability: 'online',
  };
  const widgetOptions = {};
  const coreOptions = {};
  let widgetStarted = false;
  let coreStarted = false;
  const widgetEvents = createEmitter(state, () => widgetStarted, 'Kustomer', widgetOptions);
  const coreEvents = createEmitter(state, () => coreStarted, 'KustomerCore', coreOptions);
  const pending = [];
  let queuedStarts = [];
  let queuedInits = [];

  /** A start/init call: its callback runs after the network round trip; `initialized()` waits for it. */
  const deferredStart = () => {
    let resolve;
    pending.push(new Promise((r) => (resolve = r)));
    return (markStarted, callback) =>
      win.setTimeout(() => {
        markStarted();
        if (typeof callback === 'function') callback({ settings: { enabled: true } }, undefined);
        resolve();
      }, initDelayMs);
  };

  const afterStart = (started, name, fn) =>
    function (...args) {
      if (!started()) {
        state.ignoredCalls.push(name);
        return undefined;
      }
      return fn.apply(this, args);
    };
  /**
   * `isChatAvailable()` before start has called back, which the docs leave open: ignored like every other method
   * (default), or (`availableBeforeStart`) `'none'` (the value listed without a description; the iOS docs read it
   * as "not initialised"), `'throws'`, or `'early'`: the availability as if started.
   */
  const beforeStart = (sdkName, options, started, answer, shape) =>
    function () {
      if (started()) return answer();
      switch (options.availableBeforeStart) {
        case 'none':
          return shape('none');
        case 'throws':
          throw new Error('Kustomer is not initialized');
        case 'early':
          return answer();
        default:
          state.ignoredCalls.push(`${sdkName}.isChatAvailable`);
          return undefined;
      }
    };
  const whenWidgetStarted = (name, fn) => afterStart(() => widgetStarted, `Kustomer.${name}`, fn);
  const whenCoreStarted = (name, fn) => afterStart(() => coreStarted, `KustomerCore.${name}`, fn);

  const fullWidgetSdk = () => ({
    start(options, callback) {
      state.startCalls++;
      deferredStart()(() => (widgetStarted = true), callback);
    },
    // "Removes the chat widget from the page and stops all event listeners. You must call Kustomer.start() again
    // if you want to reinitialize." https://developer.kustomer.com/chat-sdk/docs/kustomer-stop
    stop: whenWidgetStarted('stop', (callback) => {
      widgetStarted = false;
      widgetEvents.clear();
      if (typeof callback === 'function') callback();
    }),
    addListener: (name, fn) => widgetEvents.addListener(name, fn),
    removeListener: (name, fn) => widgetEvents.removeListener(name, fn),
    open: whenWidgetStarted('open', () => api.open()),
    close: whenWidgetStarted('close', () => api.close()),
    login: whenWidgetStarted('login', () => widgetEvents.fire('onLogin', {})),
    logout: whenWidgetStarted('logout', () => widgetEvents.fire('onLogout', {})),
    describeCustomer: whenWidgetStarted('describeCustomer', () => {}),
    describeConversation: whenWidgetStarted('describeConversation', (params, callback) => {
      state.describedConversations.push(JSON.parse(JSON.stringify(params)));
      if (typeof callback === 'function') callback({}, undefined);
    }),
    isChatAvailable: beforeStart('Kustomer', widgetOptions, () => widgetStarted, () => ({ availability: state.availability }), (value) => ({ availability: value })),
    createConversation: whenWidgetStarted('createConversation', () => {}),
    openConversationById: whenWidgetStarted('openConversationById', () => {}),
    getOpenConversations: whenWidgetStarted('getOpenConversations', (callback) => callback?.([], undefined)),
    getUnreadCount: whenWidgetStarted('getUnreadCount', () => ({ total: state.unreadTotal, conversations: {} })),
  });

  const forms = new Map();
  const satisfactionForm = () => ({
    name: 'Post-chat survey',
    ratingPrompt: 'How did we do?',
    scale: { options: '5', labelLow: 'Bad', labelHigh: 'Great', type: 'number' },
  });

  const fullCoreSdk = () => ({
    init(options, callback) {
      deferredStart()(() => (coreStarted = true), callback);
    },
    addListener: (name, fn) => coreEvents.addListener(name, fn),
    removeListener: (name, fn) => coreEvents.removeListener(name, fn),
    isChatAvailable: beforeStart('KustomerCore', coreOptions, () => coreStarted, () => state.availability, (value) => value),
    describeConversation: whenCoreStarted('describeConversation', (params, callback) => {
      state.describedConversations.push(JSON.parse(JSON.stringify(params)));
      if (typeof callback === 'function') callback({}, undefined);
    }),
    submitSatisfactionForm: whenCoreStarted('submitSatisfactionForm', (options, callback) => {
      const shown = forms.get(options?.satisfactionId);
      win.setTimeout(() => {
        if (!shown) {
          if (typeof callback === 'function') callback(undefined, new Error('satisfaction form not found'));
          return;
        }
        state.submittedForms++;
        const response = {
          conversationId: shown.conversationId,
          satisfactionId: options.satisfactionId,
          form: shown.form,
          response: { rating: options.rating, followupAnswer: options.followupAnswer },
        };
        if (coreOptions.echoSatisfaction) coreEvents.fire('onSatisfactionReceived', { ...response, timetoken: Date.now() });
        if (typeof callback === 'function') callback(response, undefined);
      }, initDelayMs);
    }),
  });

  const message = (conversationId, direction, body) => ({
    messageId: `m${++state.messageSeq}`,
    body,
    createdAt: new Date().toISOString(),
    direction,
    conversationId,
    attachments: [{ name: 'invoice.pdf', url: 'https://example.test/invoice.pdf' }],
    meta: {},
    sentBy: direction === 'out' ? { type: 'user', id: 'agent1', displayName: 'Alice Agent', avatarUrl: 'https://example.test/a.png' } : { type: 'customer', id: 'cust1', displayName: 'Carol Customer' },
  });

  /** Puts `sdk` where the loader was, the way `how` says. */
  const install = (globalName, sdk, how) => {
    const loader = win[globalName];
    switch (how) {
      case 'inPlace':
        return Object.assign(loader, sdk);
      case 'inPlaceSkipExisting':
        // Keys the loader already has are kept, except its queueing `start`, which must give way.
        for (const key of Object.keys(sdk)) if (key === 'start' || !(key in loader)) loader[key] = sdk[key];
        return loader;
      case 'defineProperty':
        Object.defineProperty(win, globalName, { configurable: true, enumerable: true, writable: true, value: sdk });
        return sdk;
      case 'recreate':
        delete win[globalName];
        win[globalName] = sdk;
        return sdk;
      default:
        win[globalName] = sdk;
        return sdk;
    }
  };

  const api = {
    state,
    /** Resolves when every start/init called so far has called back. */
    initialized: async () => {
      let count;
      do {
        count = pending.length;
        await Promise.all(pending);
      } while (count !== pending.length);
    },
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
    /**
     * The rest of the widget SDK arrives and runs the queued start calls.
     * how: 'assign' (default) | 'inPlace' | 'inPlaceSkipExisting' | 'defineProperty' | 'recreate'.
     * @param {{ how?: string, inPlace?: boolean, acceptEarlyListeners?: boolean, removeListenerWorks?: boolean,
     *   freeze?: boolean, availableBeforeStart?: 'none' | 'throws' | 'early' }} [options]
     */
    deliverWidgetSdk({ how = 'assign', inPlace = false, acceptEarlyListeners = false, removeListenerWorks = true, freeze = false, availableBeforeStart } = {}) {
      Object.assign(widgetOptions, { acceptEarlyListeners, removeListenerWorks, availableBeforeStart });
      const full = fullWidgetSdk();
      if (freeze) Object.freeze(full);
      const sdk = install('Kustomer', full, inPlace ? 'inPlace' : how);
      const queued = queuedStarts;
      queuedStarts = [];
      for (const [options, callback] of queued) sdk.start(options, callback);
      return sdk;
    },
    /** Loader, SDK and a started widget at once, as on a page where the widget loaded long ago. */
    async loadStartedWidget(deliverOptions) {
      api.loadWidgetLoader();
      win.Kustomer.start({ brandId: 'brand1' });
      api.deliverWidgetSdk(deliverOptions);
      await api.initialized();
    },
    /** The widget and the headless core, both loaded and started. */
    async loadStartedWidgetAndCore() {
      await api.loadStartedWidget();
      api.loadCore();
      win.KustomerCore.init({ brandId: 'brand1' });
      await api.initialized();
    },
    /**
     * The core's loader with only `init`; the core itself follows a task later unless `deliver: false`.
     * @param {{ deliver?: boolean, availableBeforeStart?: 'none' | 'throws' | 'early' }} [options]
     */
    loadCore({ deliver = true, availableBeforeStart } = {}) {
      win.KustomerCore = {
        init(options, callback) {
          let resolve;
          pending.push(new Promise((r) => (resolve = r)));
          queuedInits.push([options, callback, resolve]);
        },
      };
      win.dispatchEvent(new win.Event('kustomerCoreLoaded'));
      if (deliver) {
        let resolve;
        pending.push(new Promise((r) => (resolve = r)));
        win.setTimeout(() => {
          api.deliverCoreSdk({ availableBeforeStart });
          resolve();
        }, 0);
      }
    },
    /** @param {{ echoSatisfaction?: boolean, availableBeforeStart?: 'none' | 'throws' | 'early' }} [options] */
    deliverCoreSdk({ echoSatisfaction = false, availableBeforeStart } = {}) {
      Object.assign(coreOptions, { echoSatisfaction, availableBeforeStart });
      const sdk = Object.assign(win.KustomerCore, fullCoreSdk());
      const queued = queuedInits;
      queuedInits = [];
      for (const [options, callback, resolve] of queued) {
        sdk.init(options, callback);
        resolve();
      }
      return sdk;
    },

    // What Kustomer reports when a visitor and an agent chat. Nothing fires before initialisation.
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
    /** An agent message: the core reports it; the widget's unread total rises by one (the chat is closed). */
    agentReplies(conversationId, body = 'Hello Carol, this is Alice') {
      const received = message(conversationId, 'out', body);
      api.fireCore('onMessageReceived', received);
      state.unreadTotal++;
      api.fireWidget('onUnread', { total: state.unreadTotal, change: { conversationId } });
      return received;
    },
    readMessages(conversationId) {
      state.unreadTotal = 0;
      api.fireWidget('onUnread', { total: 0, change: { conversationId } });
    },
    /** The core receives a satisfaction form for the conversation (it is shown to the visitor). */
    showSatisfactionForm(conversationId) {
      const satisfactionId = `s_${conversationId}`;
      const form = satisfactionForm();
      forms.set(satisfactionId, { conversationId, form });
      api.fireCore('onSatisfactionReceived', { conversationId, satisfactionId, timetoken: Date.now(), form });
      return satisfactionId;
    },
    /**
     * The form is shown, then the site's own UI submits the rating with KustomerCore.submitSatisfactionForm, as a
     * headless-core site does. Resolves with what the site's callback received.
     */
    rate(conversationId, rating, followupAnswer = 'Alice was great, call me on +1 555 0100') {
      const satisfactionId = api.showSatisfactionForm(conversationId);
      return new Promise((resolve) => {
        const submitted = win.KustomerCore?.submitSatisfactionForm?.(
          { satisfactionId, rating, followupAnswer, submittedAt: new Date().toISOString() },
          (response, error) => resolve({ response, error }),
        );
        if (submitted === undefined && !coreStarted) resolve({ response: undefined, error: new Error('core not started') });
      });
    },
    endConversation(conversationId) {
      api.fireCore('onConversationEnded', { conversationId, createdAt: new Date().toISOString(), ended: true });
    },
    reopenConversation(conversationId) {
      api.fireCore('onConversationUnended', { conversationId, createdAt: new Date().toISOString(), ended: false });
    },
    assistantHandsOver(conversationId) {
      api.fireCore('onAssistantEnded', { conversationId, isInAssistantMode: false });
    },
    login: () => api.fireWidget('onLogin', {}),
    logout: () => api.fireWidget('onLogout', {}),

    /**
     * A whole conversation: open, start, sent, received, rating form shown, rating 5 submitted, ended, close.
     * Resolves once the rating's round trip is over.
     */
    async fullConversation(conversationId = 'conv_abc123') {
      api.open();
      api.startConversation(conversationId);
      api.visitorSends(conversationId);
      api.agentReplies(conversationId);
      await api.rate(conversationId, 5);
      api.endConversation(conversationId);
      api.close();
    },
    /**
     * The same conversation without waiting: the rating comes back through an onSatisfactionReceived that carries
     * `response.rating` (the other documented signal), so tests with fake timers can chat synchronously.
     */
    fullConversationNow(conversationId = 'conv_abc123') {
      api.open();
      api.startConversation(conversationId);
      api.visitorSends(conversationId);
      api.agentReplies(conversationId);
      const satisfactionId = api.showSatisfactionForm(conversationId);
      const { form } = forms.get(satisfactionId);
      api.fireCore('onSatisfactionReceived', { conversationId, satisfactionId, timetoken: Date.now(), form, response: { rating: 5, followupAnswer: 'Alice was great, call me on +1 555 0100' } });
      api.endConversation(conversationId);
      api.close();
    },
  };
  return api;
}

/** The actions `fullConversation()` produces, in order, when widget and core are both started. */
export const FULL_CONVERSATION_ACTIONS = [
  'chat_opened',
  'conversation_started',
  'message_sent',
  'message_received',
  'satisfaction_requested',
  'satisfaction_submitted',
  'conversation_ended',
  'chat_closed',
];
