/**
 * fast-check generators for what a hostile or broken Kustomer SDK could hand our listeners. Shared by the node
 * fuzz (test/reliability/fuzz.test.ts) and, bundled by esbuild, by the Chromium fuzz (fuzz-browser.test.js), so
 * both run the same shapes, each built in its own realm (JSON.parse, Proxy and getters of the page itself).
 *
 * Values the schema may forward (ids, timestamps, counts, ratings) are drawn from `scalar`; every other field
 * carries a LEAK marker: a string containing "zleak" (some shaped like valid ids, emails, JWTs) or the number
 * 31337.5. No destination may ever show one.
 */
import fc from 'fast-check';

/** Every planted marker contains this (case-insensitive). */
export const LEAK_PATTERN = /zleak|31337\.5/i;
export const LEAK_NUMBER = 31337.5;

export const WIDGET_EVENT_NAMES = ['onOpen', 'onClose', 'onConversationCreate', 'onUnread', 'onLogin', 'onLogout'];
export const CORE_EVENT_NAMES = ['onConversationCreate', 'onMessageSent', 'onMessageReceived', 'onSatisfactionReceived', 'onAssistantEnded', 'onConversationEnded', 'onConversationUnended'];

const HUGE = 'x'.repeat(1_000_000);

// Markers shaped like the values a leak would look like: a valid id (passes the id filter if misrouted), an
// email, a phone number, a JWT, prose.
const marker = fc.constantFrom(
  'ZLEAK_body_01',
  'zleak-agent-7',
  'zleak.carol@example.com',
  '+1 555 0100 zleak',
  'eyJhbGciOiJIUzI1NiJ9.eyJ6bGVhayI6MX0.zleak',
  'Hi, I am Zleak, my card is 4111 1111 1111 1111',
  'zleak'.repeat(300),
);
const markerValue = fc.oneof({ weight: 5, arbitrary: marker }, { weight: 1, arbitrary: fc.constant(LEAK_NUMBER) });

/** A getter that throws, an object whose every trap throws, a revoked proxy: reading any of them throws. */
function throwingGetters(keys, target = {}) {
  for (const key of keys) {
    Object.defineProperty(target, key, {
      enumerable: true,
      get() {
        throw new Error(`getter ${key} throws`);
      },
    });
  }
  return target;
}
const fail = () => {
  throw new Error('proxy trap throws');
};
let deep;

// fast-check itself reads generated values (and prints them on failure), so hostile values travel through it as
// inert tokens and are made, fresh and in the current realm, by materialize() just before a payload is fired.
const MAKERS = {
  getters: () => throwingGetters(['conversationId', 'messageId', 'createdAt', 'total', 'rating', 'scale', 'satisfactionId']),
  trapsThrow: () => new Proxy({}, { get: fail, has: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, getPrototypeOf: fail, defineProperty: fail, set: fail }),
  revoked: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  throwsOnConversion: () => ({
    toString: fail,
    valueOf: fail,
    toJSON: fail,
    [Symbol.toPrimitive]: fail,
  }),
  nullProto: () => Object.assign(Object.create(null), { conversationId: 'conv_null_proto', total: 2 }),
  inherited: () => Object.create({ conversationId: 'ZLEAK_inherited', total: 50, response: { rating: 5 } }),
  frozen: () => Object.freeze({ conversationId: 'frozen_1' }),
  stringObject: () => new String('conv_string_object'),
  fn: () => Object.assign(() => {}, { conversationId: 'fn_conv' }),
  map: () => new Map([['conversationId', 'ZLEAK_map']]),
  symbol: () => Symbol('s'),
  error: () => new Error('kustomer failed'),
  // A 100,000-level nested object: anything walking a payload recursively would overflow the stack.
  deep: () => {
    if (!deep) {
      let node = { conversationId: 'ZLEAK_deep' };
      for (let i = 0; i < 100_000; i++) node = { meta: node, change: node, response: [node] };
      deep = node;
    }
    return deep;
  },
  sparse: () => new Array(1_000_000),
};

class Hostile {
  constructor(kind, payload, keys) {
    this.kind = kind;
    this.payload = payload;
    this.keys = keys;
  }
}
const hostileOf = (...kinds) => fc.constantFrom(...kinds).map((kind) => new Hostile(kind));

/** Copies a generated payload, two levels deep, making its hostile tokens real (getters copied, never called). */
export function materialize(value, depth = 0) {
  if (value instanceof Hostile) {
    if (value.kind === 'withGetters') return throwingGetters(value.keys, materialize(value.payload, depth));
    return MAKERS[value.kind]();
  }
  if (depth > 2 || value === null || typeof value !== 'object') return value;
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy = Array.isArray(value) ? [] : {};
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if ('value' in descriptor) descriptor.value = materialize(descriptor.value, depth + 1);
    Object.defineProperty(copy, key, descriptor);
  }
  return copy;
}

const hostile = hostileOf('getters', 'trapsThrow', 'revoked', 'throwsOnConversion', 'nullProto', 'frozen', 'stringObject', 'fn', 'symbol', 'map');

const idChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-');
const validId = fc.string({ unit: idChar, minLength: 1, maxLength: 64 });

const oddText = fc.constantFrom(
  '', ' ', 'NaN', 'Infinity', '-Infinity', '-0', '5', ' 5 ', '5e2', '0x10', '1e400', 'null', 'undefined', 'true',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  'a'.repeat(64), 'a'.repeat(65), HUGE, 'conv 1', 'conv.1', 'c@example.com', '+15550100', '4111111111111111',
  '2024-02-30T25:61:00Z', '1970-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z',
  '\u0000', '\ud800', '<script>alert(1)</script>', 'javascript:alert(1)',
);

const oddNumber = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, 5, 100, 100.5, -1, 101, 1e6, 1e6 + 1, 8.64e15, 8.64e15 + 1, -8.64e15, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e21);

/** What may land in a field the schema reads (ids, timestamps, counts, rating): anything at all. */
export const scalar = fc.oneof(
  { weight: 6, arbitrary: validId },
  { weight: 2, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 3, arbitrary: oddText },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: oddNumber },
  { weight: 1, arbitrary: fc.integer({ min: -5, max: 200 }).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(null, undefined, true, false) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 1, arbitrary: fc.array(validId, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), markerValue, { maxKeys: 3 }) },
  { weight: 2, arbitrary: hostile },
);

const rating = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 10 }) },
  { weight: 1, arbitrary: fc.double({ min: -1, max: 101 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, '5', ' 4 ', 'NaN', 'five', '', Infinity, -0) },
  { weight: 2, arbitrary: scalar },
);

/** A payload shaped like Kustomer's, every field optional, the free-text ones full of markers. */
const kustomerShaped = fc.record(
  {
    conversationId: scalar,
    createdAt: scalar,
    ended: scalar,
    isInAssistantMode: fc.oneof(fc.boolean(), scalar),
    messageId: scalar,
    direction: fc.constantFrom('in', 'out', 'ZLEAK_dir', undefined),
    body: markerValue,
    attachments: fc.array(fc.record({ name: marker, url: marker, contentType: marker }), { maxLength: 2 }),
    meta: fc.dictionary(fc.string({ maxLength: 10 }), markerValue, { maxKeys: 4 }),
    sentBy: fc.record({ type: fc.constantFrom('user', 'customer'), id: marker, displayName: marker, avatarUrl: marker }, { requiredKeys: [] }),
    satisfactionId: scalar,
    timetoken: scalar,
    form: fc.record({ scale: scalar, question: marker, id: marker }, { requiredKeys: [] }),
    response: fc.record({ rating, followupAnswer: marker, answers: fc.array(marker, { maxLength: 2 }) }, { requiredKeys: [] }),
    total: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }) }, { weight: 2, arbitrary: scalar }),
    change: fc.record({ conversationId: scalar, lastMessage: marker, sentBy: marker }, { requiredKeys: [] }),
    jwtToken: marker,
    email: marker,
    customAttributes: fc.dictionary(fc.string({ maxLength: 10 }), markerValue, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** Turns some fields of a payload into getters that throw. */
const withThrowingGetters = fc
  .tuple(kustomerShaped, fc.subarray(['conversationId', 'messageId', 'createdAt', 'total', 'response', 'form', 'satisfactionId', 'change', 'body']))
  .map(([payload, keys]) => new Hostile('withGetters', payload, keys));

/**
 * Real own `__proto__` and `constructor` keys, as JSON.parse makes them (an object literal would set the
 * prototype instead), at the top and in nested objects, holding values that must neither be read nor pollute.
 */
const POISON = '"__proto__":{"polluted":"zleak_proto","conversationId":"ZLEAK_proto_id","rating":5,"total":99},"constructor":{"prototype":{"polluted":"zleak_ctor"}}';
const withProtoKeys = fc.tuple(kustomerShaped, fc.boolean()).map(([payload, nested]) => {
  let json;
  try {
    json = JSON.stringify(payload, (_key, value) => (typeof value === 'bigint' ? String(value) : value)) ?? '{}';
  } catch {
    json = '{}';
  }
  const poisoned = JSON.parse(json === '{}' ? `{${POISON}}` : `{${POISON},${json.slice(1)}`);
  if (nested) {
    poisoned.response = JSON.parse(`{${POISON},"followupAnswer":"zleak answer"}`);
    poisoned.change = JSON.parse(`{${POISON}}`);
    poisoned.form = JSON.parse(`{${POISON}}`);
  }
  return poisoned;
});

const oddTopLevel = fc.oneof(
  fc.constantFrom(null, undefined, '', 'zleak text payload', HUGE, 0, NaN, true, [], [{ conversationId: 'ZLEAK_in_array' }]),
  fc.constant(Object.assign([], { conversationId: 'conv_on_array', total: 3 })),
  fc.constant({ hasOwnProperty: () => true, conversationId: undefined }),
  hostileOf('deep', 'sparse', 'trapsThrow', 'revoked', 'throwsOnConversion', 'nullProto', 'inherited', 'map', 'symbol', 'fn'),
);

/** Any payload at all for any listener. */
export const payloadArb = fc.oneof(
  { weight: 10, arbitrary: kustomerShaped },
  { weight: 2, arbitrary: withThrowingGetters },
  { weight: 2, arbitrary: withProtoKeys },
  { weight: 1, arbitrary: oddTopLevel },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true }) },
);

/** Kustomer's second listener argument: `undefined` normally, an Error (or junk) when something failed. */
export const errorArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom(null, false, 0, '', NaN) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('zleak error text', { message: 'zleak' }), hostileOf('error', 'trapsThrow', 'revoked', 'getters')) },
  // Kustomer documents the second argument as undefined or an Error: only an Error is a reported error.
  { weight: 2, arbitrary: fc.constant(new Error('zleak kustomer error')) },
);

/** What the source treats as Kustomer reporting an error: an Error from any realm, or a value that throws when asked. */
export const isKustomerError = (error) => {
  try {
    return error instanceof Error || Object.prototype.toString.call(error) === '[object Error]';
  } catch {
    return true;
  }
};

export { fc };
