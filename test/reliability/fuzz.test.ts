/**
 * Fuzzing every Kustomer event name through the source and every destination, in node with a jsdom window.
 * The destinations are the real ones; only the SDK call surfaces (gtag, analytics.track, rudderanalytics.track)
 * are recording fakes, and the dataLayers are plain arrays, so ~110,000 payloads run in seconds.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createChatTracker, type Destination } from '../../core/tracker';
import { ACTION_LABELS, CHAT_ACTIONS, type ChatEvent } from '../../core/schema';
import { INTEGRATION } from '../../core/version';
import { ga4DataLayer, gtmDataLayer } from '../../plugins/gtm/index';
import { gtagDestination } from '../../plugins/gtag/index';
import { segmentDestination } from '../../plugins/segment/index';
import { rudderstackDestination } from '../../plugins/rudderstack/index';
import { GA4_EVENT_NAMES, GA4_PARAMETERS } from '../../plugins/shared/ga4';
import { LIVE_CHAT_EVENT_NAMES } from '../../plugins/shared/live-chat-spec';
import { fakePage, recordingDestination } from '../support/fake-page.js';
import { reliabilityReport } from '../support/reliability-report.js';
import { CORE_EVENT_NAMES, LEAK_PATTERN, WIDGET_EVENT_NAMES, errorArb, fc, isKustomerError, materialize, payloadArb } from './payloads.js';

const RUNS = Number(process.env.FUZZ_RUNS) || 10_000;
const SEED = Number(process.env.FUZZ_SEED) || 20_240_601;
const report = reliabilityReport('fuzz');
afterAll(() => report.save());

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// Four-digit years only: what Segment, RudderStack and GA4 accept as a timestamp.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SCHEMA_KEYS = new Set(['id', 'action', 'platform', 'timestamp', 'origin', 'conversationId', 'messageId', 'satisfactionId', 'rating', 'ratingScale', 'unreadTotal', 'isInAssistantMode', 'availability']);
const GTM_KEYS = ['event', 'chat_Action', 'conversationId', 'satisfactionScore', 'chatAvailability', 'eventId'];
const GA4_KEYS = ['event', ...GA4_PARAMETERS];
/** Listeners whose every payload is an event: no event means a debug message said why. */
const ALWAYS_AN_EVENT = new Set(['onOpen', 'onClose', 'onConversationCreate', 'onMessageSent', 'onMessageReceived', 'onConversationEnded']);

type Win = Window & Record<string, unknown>;
const g = globalThis as unknown as { window?: unknown };

afterEach(() => {
  delete g.window;
});

/** A page with one Kustomer SDK started, a tracker with every destination, and what each of them put out. */
async function fuzzPage(origin: 'widget' | 'core') {
  const page = fakePage();
  const win = page.window as unknown as Win;
  // The destinations look the page up as the global window, as in a browser.
  g.window = win;
  if (origin === 'widget') await page.kustomer.loadStartedWidget();
  else {
    page.kustomer.loadCore();
    (win.KustomerCore as { init(o: object): void }).init({});
    await page.kustomer.initialized();
  }
  const out = { gtm: [] as Record<string, unknown>[], ga4: [] as Record<string, unknown>[], gtag: [] as unknown[][], segment: [] as unknown[][], rudderstack: [] as unknown[][] };
  win.fuzzLayer = out.gtm;
  win.fuzzGa4Layer = out.ga4;
  win.gtag = (...args: unknown[]) => out.gtag.push(args);
  const segment = { track: (...args: unknown[]) => out.segment.push(args), ready: (callback: () => void) => callback() };
  const rudder = { track: (...args: unknown[]) => out.rudderstack.push(args), ready: (callback: () => void) => callback() };
  const recorder = recordingDestination('recorder');
  const debug: string[] = [];
  const destinations: Destination[] = [
    recorder,
    gtmDataLayer({ dataLayerName: 'fuzzLayer' }),
    ga4DataLayer({ dataLayerName: 'fuzzGa4Layer' }),
    gtagDestination(),
    segmentDestination(segment),
    rudderstackDestination(rudder),
  ];
  const tracker = createChatTracker({ window: win as unknown as Window, destinations, debug: (message) => debug.push(message) }).start();
  const fire = (name: string, payload: unknown, error: unknown) =>
    origin === 'widget' ? page.kustomer.fireWidget(name, payload, error) : page.kustomer.fireCore(name, payload, error);
  return { page, win, out, recorder, debug, tracker, fire };
}

/** Key order and `undefined` values matter to GTM: compare with both. */
const canon = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (v === undefined ? '(undefined)' : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

function liveChatProperties(event: ChatEvent) {
  const properties: Record<string, unknown> = { platform: 'kustomer', event_id: event.id };
  const set = (key: string, value: unknown) => value !== undefined && (properties[key] = value);
  set('conversation_id', event.conversationId);
  set('message_id', event.messageId);
  set('satisfaction_id', event.satisfactionId);
  set('rating', event.rating);
  set('rating_scale', event.ratingScale);
  set('unread_total', event.unreadTotal);
  set('availability', event.availability);
  return properties;
}

/** Throws a description of what is wrong with an event, or returns quietly when it is valid. */
function checkEvent(event: ChatEvent, origin: string): void {
  const problems: string[] = [];
  const bad = (what: string) => problems.push(what);
  if (!Object.isFrozen(event)) bad('not frozen');
  for (const key of Object.keys(event)) if (!SCHEMA_KEYS.has(key)) bad(`unknown key ${key}`);
  if (!CHAT_ACTIONS.includes(event.action)) bad(`unknown action ${String(event.action)}`);
  if (event.platform !== 'kustomer') bad('platform');
  if (event.origin !== origin) bad(`origin ${event.origin}`);
  if (typeof event.id !== 'string' || !ID.test(event.id)) bad(`id ${event.id}`);
  if (typeof event.timestamp !== 'string' || !ISO.test(event.timestamp) || new Date(event.timestamp).toISOString() !== event.timestamp) bad(`timestamp ${event.timestamp}`);
  for (const key of ['conversationId', 'messageId', 'satisfactionId'] as const) {
    if (event[key] !== undefined && (typeof event[key] !== 'string' || !ID.test(event[key]!))) bad(`${key} ${event[key]}`);
  }
  if (event.rating !== undefined && !(typeof event.rating === 'number' && Number.isFinite(event.rating) && event.rating >= 0 && event.rating <= 100)) bad(`rating ${event.rating}`);
  if (event.ratingScale !== undefined && !(Number.isInteger(event.ratingScale) && event.ratingScale > 0 && event.ratingScale <= 1e6)) bad(`ratingScale ${event.ratingScale}`);
  if (event.unreadTotal !== undefined && !(Number.isInteger(event.unreadTotal) && event.unreadTotal >= 0 && event.unreadTotal <= 1e6)) bad(`unreadTotal ${event.unreadTotal}`);
  if (event.isInAssistantMode !== undefined && typeof event.isInAssistantMode !== 'boolean') bad('isInAssistantMode');
  if (event.availability !== undefined && !['online', 'offline', 'hidden', 'disabled', 'none'].includes(event.availability)) bad(`availability ${event.availability}`);
  if (problems.length) throw new Error(`invalid event (${problems.join(', ')}): ${JSON.stringify(event)}`);
}

/** Each destination's output for an event is exactly the translation of that event, and nothing else. */
function checkOutputs(event: ChatEvent, gtm: Record<string, unknown>, ga4: Record<string, unknown>, gtag: unknown[], segment: unknown[], rudder: unknown[]) {
  const expectSame = (what: string, actual: unknown, expected: unknown) => {
    if (canon(actual) !== canon(expected)) throw new Error(`${what}: got ${canon(actual)}, expected ${canon(expected)}`);
  };
  expectSame('gtm keys', Object.keys(gtm), GTM_KEYS);
  expectSame('gtm push', gtm, { event: 'Kustomer_Chat_Event', chat_Action: ACTION_LABELS[event.action], conversationId: event.conversationId, satisfactionScore: event.rating, chatAvailability: event.availability, eventId: event.id });
  const params = {
    chat_platform: 'kustomer',
    event_id: event.id,
    conversation_id: event.conversationId,
    message_id: event.messageId,
    rating_value: event.rating,
    rating_scale: event.ratingScale,
    unread_total: event.unreadTotal,
    chat_availability: event.availability,
  };
  expectSame('ga4 keys', Object.keys(ga4), GA4_KEYS);
  expectSame('ga4 push', ga4, { event: GA4_EVENT_NAMES[event.action], ...params });
  expectSame('gtag call', gtag, ['event', GA4_EVENT_NAMES[event.action], Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined))]);
  const name = LIVE_CHAT_EVENT_NAMES[event.action];
  expectSame('segment call', segment, [name, liveChatProperties(event), { messageId: event.id, timestamp: event.timestamp, context: { integration: INTEGRATION } }]);
  expectSame('rudderstack call', rudder, [name, liveChatProperties(event), { integration: INTEGRATION, originalTimestamp: event.timestamp }]);
}

function prototypeSnapshot(win: Win) {
  const names = (o: object) => Object.getOwnPropertyNames(o).sort().join(',');
  const pageObject = win.Object as ObjectConstructor;
  return [names(Object.prototype), names(Array.prototype), names(pageObject.prototype), names((win.Array as ArrayConstructor).prototype)].join('|');
}

const fuzzed: Array<{ origin: 'widget' | 'core'; name: string }> = [
  ...WIDGET_EVENT_NAMES.map((name: string) => ({ origin: 'widget' as const, name })),
  ...CORE_EVENT_NAMES.map((name: string) => ({ origin: 'core' as const, name })),
];

describe(`fuzzing ${RUNS} payloads per Kustomer event name`, () => {
  fuzzed.forEach(({ origin, name }, index) => {
    it(`${origin} ${name}: lets no exception reach Kustomer, puts out only valid schema events, leaks no planted value`, async () => {
      const { page, win, out, recorder, debug, tracker, fire } = await fuzzPage(origin);
      const protoBefore = prototypeSnapshot(win);
      const figures = { tried: 0, events: 0, stripped: 0, duplicates: 0, kustomerErrors: 0, droppedWithDebug: 0, notAnEvent: 0 };
      const violations = { escaped: 0, invalid: 0, leaks: 0, silent: 0 };
      let failure: unknown;
      try {
        fc.assert(
          fc.property(payloadArb, errorArb, (payloadRecipe: unknown, errorRecipe: unknown) => {
            const payload = materialize(payloadRecipe);
            const error = materialize(errorRecipe);
            const before = { events: recorder.events.length, debug: debug.length, gtm: out.gtm.length, ga4: out.ga4.length, gtag: out.gtag.length, segment: out.segment.length, rudderstack: out.rudderstack.length };
            fire(name, payload, error);
            figures.tried++;
            if (page.kustomer.state.listenerErrors.length) {
              violations.escaped = page.kustomer.state.listenerErrors.length;
              throw new Error(`an exception reached Kustomer: ${(page.kustomer.state.listenerErrors as Array<{ error: unknown }>)[0].error}`);
            }
            const events = recorder.events.slice(before.events) as ChatEvent[];
            const produced = {
              gtm: out.gtm.slice(before.gtm),
              ga4: out.ga4.slice(before.ga4),
              gtag: out.gtag.slice(before.gtag),
              segment: out.segment.slice(before.segment),
              rudderstack: out.rudderstack.slice(before.rudderstack),
            };
            const messages = debug.slice(before.debug);
            if (events.length) {
              try {
                // Only a rise of the unread total by N gives N events (N messages received).
                if (events.length > 1 && name !== 'onUnread') throw new Error(`one payload gave ${events.length} events`);
                for (const [destination, items] of Object.entries(produced)) {
                  if (items.length !== events.length) throw new Error(`${destination} put out ${items.length} items for ${events.length} events`);
                }
                events.forEach((event, i) => {
                  checkEvent(event, origin);
                  checkOutputs(event, produced.gtm[i], produced.ga4[i], produced.gtag[i], produced.segment[i], produced.rudderstack[i]);
                });
              } catch (problem) {
                violations.invalid++;
                throw problem;
              }
              const text = JSON.stringify([events, produced]);
              if (LEAK_PATTERN.test(text)) {
                violations.leaks++;
                throw new Error(`planted value reached a destination: ${text}`);
              }
              figures.events += events.length;
              figures.stripped += messages.filter((m) => m.includes('dropped invalid')).length;
              return;
            }
            if (Object.values(produced).some((items) => items.length)) {
              violations.invalid++;
              throw new Error(`a destination put out something for no event: ${JSON.stringify(produced)}`);
            }
            if (isKustomerError(error)) {
              if (!messages.some((m) => m.includes('Kustomer reported an error'))) {
                violations.silent++;
                throw new Error('a Kustomer error went unreported');
              }
              figures.kustomerErrors++;
            } else if (messages.some((m) => m.endsWith(': duplicate') || m.includes('already reported'))) figures.duplicates++;
            else if (messages.length) figures.droppedWithDebug++;
            else if (ALWAYS_AN_EVENT.has(name)) {
              violations.silent++;
              throw new Error(`${name} payload dropped without a debug message: ${fc.stringify(payloadRecipe)}`);
            } else figures.notAnEvent++;
          }),
          { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
        );
      } catch (error) {
        failure = error;
      }
      const stats = tracker.stats();
      tracker.stop();
      const delivered = Object.values(stats.destinations).map((d) => d.delivered);
      const failures = Object.values(stats.destinations).reduce((n, d) => n + d.failed + d.dropped + d.buffered, 0);
      const protoAfter = prototypeSnapshot(win);
      const polluted = ({} as Record<string, unknown>).polluted !== undefined || (new (win.Object as ObjectConstructor)() as Record<string, unknown>).polluted !== undefined || protoAfter !== protoBefore;
      report.row({
        SDK: origin,
        'event name': name,
        tried: figures.tried,
        events: figures.events,
        'invalid fields stripped': figures.stripped,
        'duplicates dropped': figures.duplicates,
        'Kustomer errors dropped': figures.kustomerErrors,
        'other drops (debug message)': figures.droppedWithDebug,
        'not an event, no message': figures.notAnEvent,
        'outputs per destination': delivered.join(' / '),
        'invalid outputs': violations.invalid,
        'silent drops': violations.silent,
        'exceptions escaped': violations.escaped,
        'planted values leaked': violations.leaks,
        'prototype polluted': polluted ? 'yes' : 'no',
        holds: failure || polluted ? 'NO' : 'yes',
      }, `Fuzzed: ${RUNS} generated payloads per event name`);
      report.total('payloads', figures.tried);
      if (index === 0) {
        report.note(`Seed ${SEED} (+ index of the event name); \`FUZZ_SEED\` and \`FUZZ_RUNS\` override. Destinations: gtmDataLayer, ga4DataLayer, gtagDestination, segmentDestination and rudderstackDestination (recording fakes of gtag/track), plus a recorder of the schema events.`);
        report.note('Payloads (`test/reliability/payloads.js`): Kustomer-shaped records with any field missing or holding anything (valid and invalid ids, huge and odd strings, numbers as strings, NaN/±Infinity ratings, bigints, dates, arrays, objects), throwing getters, trap-throwing and revoked proxies, JSON.parse own `__proto__`/`constructor` keys, a 100,000-level nested object, sparse arrays, `fc.anything()`; a second argument that is undefined, falsy, an Error, junk or a throwing proxy. Non-schema fields carry planted markers (id-, email-, phone-, JWT-shaped); a row holds when no exception reached Kustomer, every output is the exact translation of a valid schema event, no marker appears in any output, every payload without an event left a debug message (except where "not an event" is by design: logins, unread counts that do not rise, satisfaction forms without a rating) and `Object.prototype` is untouched.');
      }
      report.total('leaks', violations.leaks);
      report.total('escaped', violations.escaped);
      if (failure) throw failure;
      expect(figures.tried).toBe(RUNS);
      expect(delivered.every((count) => count === figures.events)).toBe(true);
      expect(failures).toBe(0);
      expect(polluted).toBe(false);
    });
  });
});

describe('well-formed payloads', () => {
  /** Payloads a working Kustomer sends, each one new: every one must come out as exactly one event. */
  const wellFormed: Record<string, (n: number) => unknown> = {
    onOpen: () => undefined,
    onClose: () => undefined,
    onConversationCreate: (n) => ({ conversationId: `conv_${n}`, createdAt: new Date(1_700_000_000_000 + n).toISOString(), ended: false, isInAssistantMode: n % 2 === 0 }),
    onUnread: (n) => ({ total: n, change: { conversationId: 'conv_u', lastMessage: 'zleak hi' } }),
    onMessageSent: (n) => ({ messageId: `msg_${n}`, conversationId: 'conv_m', direction: 'in', createdAt: new Date().toISOString(), body: 'zleak body', sentBy: { displayName: 'zleak name' } }),
    onMessageReceived: (n) => ({ messageId: `msg_${n}`, conversationId: 'conv_m', direction: 'out', createdAt: new Date().toISOString(), body: 'zleak body' }),
    onSatisfactionReceived: (n) => ({ conversationId: `conv_${n}`, satisfactionId: `sat_${n}`, form: { scale: 5, question: 'zleak?' }, response: { rating: n % 6, followupAnswer: 'zleak' } }),
    onConversationEnded: (n) => ({ conversationId: `conv_${n}`, ended: true }),
  };
  const count = 1000;

  for (const { origin, name } of fuzzed.filter(({ name }) => wellFormed[name])) {
    it(`${origin} ${name}: delivers each of ${count} new, well-formed payloads exactly once to every destination`, async () => {
      const { page, out, recorder, tracker, fire } = await fuzzPage(origin);
      for (let n = 1; n <= count; n++) fire(name, wellFormed[name](n), undefined);
      const stats = tracker.stats();
      tracker.stop();
      const leaked = LEAK_PATTERN.test(JSON.stringify([recorder.events, out]));
      const outputs = [out.gtm, out.ga4, out.gtag, out.segment, out.rudderstack].map((items) => items.length);
      report.row({
        SDK: origin,
        'event name': name,
        payloads: count,
        events: recorder.events.length,
        'outputs per destination': [recorder.events.length, ...outputs].join(' / '),
        lost: count - Math.min(recorder.events.length, ...outputs),
        'exceptions escaped': page.kustomer.state.listenerErrors.length,
        'planted values leaked': leaked ? 1 : 0,
        holds: recorder.events.length === count && outputs.every((n) => n === count) && !leaked ? 'yes' : 'NO',
      }, 'Well-formed payloads, each one new: none may be lost');
      report.total('lost', count - Math.min(recorder.events.length, ...outputs));
      expect(leaked).toBe(false);
      expect(outputs).toEqual([count, count, count, count, count]);
      expect(page.kustomer.state.listenerErrors).toEqual([]);
      expect(recorder.events).toHaveLength(count);
      expect(new Set(recorder.events.map((event: ChatEvent) => event.id)).size).toBe(count);
      for (const [destination, figures] of Object.entries(stats.destinations)) expect({ destination, ...figures }).toMatchObject({ destination, delivered: count, failed: 0, dropped: 0, buffered: 0 });
    });
  }
});

describe('edge cases found by fuzzing', () => {
  it('never puts out a timestamp outside years 0000-9999', async () => {
    const { recorder, tracker, fire } = await fuzzPage('core');
    fire('onMessageSent', { messageId: 'm1', createdAt: 8.64e15 }, undefined);
    fire('onMessageSent', { messageId: 'm2', createdAt: '+275760-09-13T00:00:00.000Z' }, undefined);
    fire('onMessageSent', { messageId: 'm3', createdAt: -8.64e15 }, undefined);
    tracker.stop();
    expect(recorder.events).toHaveLength(3);
    for (const event of recorder.events as ChatEvent[]) expect(event.timestamp).toMatch(ISO);
  });

  // These fields are present but malformed: the payload is dropped, and a debug message says why.
  it('reports in debug a present but malformed onUnread total or satisfaction rating', async () => {
    const widget = await fuzzPage('widget');
    widget.fire('onUnread', { total: 'many' }, undefined);
    widget.fire('onUnread', { total: -1 }, undefined);
    widget.tracker.stop();
    const core = await fuzzPage('core');
    core.fire('onSatisfactionReceived', { conversationId: 'c1', response: { rating: NaN } }, undefined);
    core.fire('onSatisfactionReceived', { conversationId: 'c1', response: { rating: 'five' } }, undefined);
    core.tracker.stop();
    expect(widget.debug.length).toBeGreaterThanOrEqual(2);
    expect(core.debug.length).toBeGreaterThanOrEqual(2);
  });
});
