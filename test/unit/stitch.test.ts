import { describe, expect, it } from 'vitest';
import { identityStitching, idProblem, type StitchContext, type StitchOptions } from '../../core/stitch';

type Described = { conversationId: string; customAttributes: Record<string, string> };

/**
 * A page with only Kustomer's `describeConversation({ conversationId, customAttributes }, callback(response, error))`
 * (https://developer.kustomer.com/chat-sdk/v2.0-Web/docs/kustomer-describe-conversation), recording what it is given.
 * `answer` makes it call back with an error, or throw.
 */
function run(identities: Record<string, unknown>, options: StitchOptions = {}, answer: 'ok' | 'error' | 'throw' | 'absent' = 'ok', global = 'Kustomer') {
  const described: Described[] = [];
  const messages: Array<[string, unknown]> = [];
  const failures: string[] = [];
  const sdk = {
    describeConversation(params: Described, callback?: (response: unknown, error?: unknown) => void) {
      if (answer === 'throw') throw new Error('Kustomer is not started');
      described.push(params);
      callback?.({}, answer === 'error' ? new Error('attribute gaClientIdStr does not exist') : undefined);
    },
  };
  const context: StitchContext = {
    window: (answer === 'absent' ? {} : { [global]: sdk }) as unknown as Window,
    conversationId: 'c1',
    identities: () => identities as Record<string, string | undefined>,
    debug: (message, detail) => messages.push([message, detail]),
    failed: (reason) => failures.push(reason),
  };
  identityStitching(options)(context);
  const everything = [...described.map((params) => Object.values(params.customAttributes)), ...messages.map(String), ...failures].join('\n');
  return { described, messages: messages.map(([message]) => message), failures, everything };
}

const ANON = '6c2a7ad2-9a4b-4f7e-8e8c-2d1f3b5a9c10';

describe('identityStitching()', () => {
  it('writes each id into the conversation as a Str attribute, named after the identity unless renamed', () => {
    const { described, failures } = run(
      { segmentAnonymousId: ANON, gaClientId: '1234567890.1700000000', rudderstackUserId: undefined, crmVisitorId: 'v_42' },
      { attributes: { gaClientId: 'gaIdStr' } },
    );
    expect(described).toEqual([
      { conversationId: 'c1', customAttributes: { segmentAnonymousIdStr: ANON, gaIdStr: '1234567890.1700000000', crmVisitorIdStr: 'v_42' } },
    ]);
    expect(failures).toEqual([]);
  });

  it('uses the headless core on a page without the widget', () => {
    expect(run({ gaClientId: '1.2' }, {}, 'ok', 'KustomerCore').described).toHaveLength(1);
  });

  it('neither writes nor mentions a user id that is an email address, and counts it as a failure', () => {
    const { described, messages, failures, everything } = run({ segmentAnonymousId: ANON, segmentUserId: 'jane.doe+shop@example.com' });
    expect(described).toEqual([{ conversationId: 'c1', customAttributes: { segmentAnonymousIdStr: ANON } }]);
    expect(everything).not.toContain('example.com');
    expect(messages).toContain('stitchIdentities: segmentUserId not written: looks like an email address');
    expect(failures).toEqual(['segmentUserId not written: looks like an email address']);
  });

  it('neither writes nor mentions a user id that looks like a phone number', () => {
    for (const phone of ['+1(555)010-9999', '5550109999', '555-010-9999', '555.010.9999', '+44 20 7946 0958']) {
      const { described, failures, everything } = run({ rudderstackUserId: phone });
      expect(described, phone).toEqual([]);
      expect(everything, phone).not.toContain(phone);
      expect(failures, phone).toEqual([expect.stringMatching(/^rudderstackUserId not written: (looks like a phone number|contains whitespace)$/)]);
    }
  });

  it('tells ids from personal data with one rule', () => {
    const ids = [ANON, '1234567890.1700000000', 'user_123', '123456', 'AbC-99', 'v1.2.3'];
    expect(ids.map(idProblem)).toEqual(ids.map(() => undefined));
    expect(idProblem('a@b')).toBe('looks like an email address');
    expect(idProblem('ab cd')).toBe('contains whitespace');
    expect(idProblem('tab\there')).toBe('contains whitespace');
    expect(idProblem('x'.repeat(1025))).toBe('over 1024 characters');
    expect(idProblem('x'.repeat(1024))).toBeUndefined();
    expect(idProblem('(555) 0109')).toBe('contains whitespace');
    expect(idProblem('+15550109999')).toBe('looks like a phone number');
  });

  it('refuses an attribute name without a Kustomer type suffix, saying why', () => {
    const { described, messages, failures } = run({ gaClientId: '1.2', segmentAnonymousId: ANON }, { attributes: { gaClientId: 'gaClient' } });
    expect(described).toEqual([{ conversationId: 'c1', customAttributes: { segmentAnonymousIdStr: ANON } }]);
    expect(messages).toContain(
      'stitchIdentities: attribute "gaClient" for gaClientId refused: not letters and digits ending in a Kustomer type suffix ("Str" for ids)',
    );
    expect(failures).toHaveLength(1);
  });

  it('refuses a non-string type suffix for an id, saying why', () => {
    for (const name of ['gaClientIdNum', 'gaClientIdAt', 'gaClientIdTxt', 'gaClientIdBool', 'gaClientIdUrl', 'gaClientId']) {
      const { described, messages } = run({ gaClientId: '1.2' }, { attributes: { gaClientId: name } });
      expect(described, name).toEqual([]);
      expect(messages[0], name).toMatch(/refused: "(Num|At|Txt|Bool|Url|Id)" is not a string type, ids need "Str"$/);
    }
    // An identity named "__proto__" (an own key, as JSON.parse makes it) gets no attribute either.
    const proto = run(JSON.parse('{"__proto__": "x1", "gaClientId": "1.2"}'));
    expect(proto.described).toEqual([{ conversationId: 'c1', customAttributes: { gaClientIdStr: '1.2' } }]);
    expect(proto.failures).toEqual([expect.stringMatching(/^attribute "__proto__Str" for __proto__ refused/)]);
    for (const name of ['Str', 'ga-client-Str', '__proto__', 'constructorStr ']) {
      expect(run({ gaClientId: '1.2' }, { attributes: { gaClientId: name } }).failures, name).toHaveLength(1);
    }
  });

  it('counts describeConversation calling back with an error, or throwing, as a failure', () => {
    const errored = run({ gaClientId: '1.2' }, {}, 'error');
    expect(errored.failures).toEqual(['describeConversation failed']);
    expect(errored.messages).toContain('stitchIdentities: describeConversation failed');
    expect(run({ gaClientId: '1.2' }, {}, 'throw').failures).toEqual(['describeConversation threw']);
    expect(run({ gaClientId: '1.2' }, {}, 'absent').failures).toEqual(['no describeConversation on the page']);
  });

  it('skips ids not known yet without a failure, and survives identities() throwing', () => {
    expect(run({ segmentUserId: undefined, gaClientId: '' }).failures).toEqual([]);
    const context = {
      window: {} as Window,
      conversationId: 'c1',
      identities: () => {
        throw new Error('SDK not ready');
      },
      debug: () => {},
      failed: () => {
        throw new Error('a failing counter');
      },
    };
    expect(() => identityStitching()(context)).not.toThrow();
  });
});
