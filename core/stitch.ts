import { DEBUG_BUILD } from './debug-build';
import { attempt } from './safe';
import type { ChatEvent } from './schema';
import type { Debug, TrackerOptions } from './types';

type Describe = (params: { conversationId: string; customAttributes: Record<string, string> }, callback?: (response: unknown, error?: unknown) => void) => void;

/** What the tracker hands a stitcher when a conversation starts. */
export interface StitchContext {
  window: Window;
  conversationId: string;
  /** The visitor's analytics ids, gathered from the destinations: `{ segmentAnonymousId: '…', gaClientId: '…' }`. */
  identities(): Record<string, string | undefined>;
  /** The tracker's debug channel (silent unless `debug` is on). */
  debug(message: string, detail?: unknown): void;
  /** Tells the tracker that something was not written (counted in `stats().stitchFailures`). */
  failed(reason: string): void;
}

/** What `createChatTracker` calls when a conversation starts, if given as `stitchIdentities`. */
export type IdentityStitcher = (context: StitchContext) => void;

/** Options of `identityStitching()`. */
export interface StitchOptions {
  /**
   * Kustomer conversation custom attribute per identity, a string attribute (its name ends in `Str`).
   * Defaults: the identity's name + `Str` (`gaClientIdStr`).
   */
  attributes?: Record<string, string>;
}

// The suffix of a Kustomer custom attribute's name sets its type; ids are strings, and a `Str` attribute holds at
// most 1024 characters (https://developer.kustomer.com/docs/concepts/custom-attributes).
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9]*(Str|Num|At|Txt|Bool|Url|Id)$/;

/** Why `name` cannot hold an id, or `undefined` when it can. */
function attributeProblem(name: string): string | undefined {
  const suffix = ATTRIBUTE_NAME.exec(name)?.[1];
  if (suffix === 'Str') return undefined;
  return suffix ? `"${suffix}" is not a string type, ids need "Str"` : 'not letters and digits ending in a Kustomer type suffix ("Str" for ids)';
}

/**
 * Why `value` is not forwarded as an id, or `undefined` when it may be. An id is an opaque token: anything that
 * could be personal data is refused, whichever tool it came from.
 */
export function idProblem(value: string): string | undefined {
  // Phone-like: digits with phone punctuation only ("+1(555)010-9999", "5550109999", "555.010.9999"), 7 digits
  // or more. A GA client id ("1234567890.1700000000": one dot) and UUIDs (letters) stay ids.
  const phoneLike = value.replace(/\D/g, '').length >= 7 && /^(\+?[\d()-]+|\+?\d+(\.\d+){2,})$/.test(value);
  if (value.length > 1024) return 'over 1024 characters';
  if (value.includes('@')) return 'looks like an email address';
  if (/\s/.test(value)) return 'contains whitespace';
  return phoneLike ? 'looks like a phone number' : undefined;
}

/**
 * Opt-in identity stitching: when a conversation starts, writes the visitor's analytics ids (from the destinations)
 * into it with `describeConversation`, the widget's documented method for conversation custom attributes (the
 * headless core's, on sites without the widget). This goes from analytics to Kustomer only, and only ids: a value
 * that looks like an email address or a phone number is written nowhere. A separate import, so that trackers
 * which do not stitch do not carry it.
 *
 * @example
 * createChatTracker({ destinations, stitchIdentities: identityStitching({ attributes: { gaClientId: 'gaIdStr' } }) });
 */
export function identityStitching(options: StitchOptions = {}): IdentityStitcher {
  const names = options.attributes ?? {};
  const stitch = (context: StitchContext) => {
    const { debug } = context;
    const refuse = (reason: string, detail?: unknown) => {
      debug(`stitchIdentities: ${reason}`, detail);
      attempt(() => context.failed(reason));
    };
    const ids = attempt(() => context.identities(), (e) => debug('stitchIdentities: identities() failed', e)) ?? {};
    const customAttributes: Record<string, string> = {};
    let count = 0;
    for (const identity of Object.keys(ids)) {
      const value: unknown = ids[identity];
      if (value === undefined || value === null || value === '') continue; // not known yet (an SDK still loading)
      const attribute: unknown = Object.prototype.hasOwnProperty.call(names, identity) ? names[identity] : `${identity}Str`;
      const badName = attributeProblem(typeof attribute === 'string' ? attribute : '');
      if (badName) {
        refuse(`attribute "${String(attribute)}" for ${identity} refused: ${badName}`);
        continue;
      }
      // The value itself never goes into a message: it may be the personal data that was refused.
      const badValue = typeof value === 'string' ? idProblem(value) : 'not a string';
      if (badValue) {
        refuse(`${identity} not written: ${badValue}`);
        continue;
      }
      customAttributes[attribute as string] = value as string;
      count++;
    }
    if (!count) return debug('stitchIdentities: no analytics id to write');
    const globals = context.window as unknown as Record<string, { describeConversation?: Describe } | undefined>;
    const sdk = attempt(() => [globals.Kustomer, globals.KustomerCore].find((candidate) => typeof candidate?.describeConversation === 'function'));
    if (!sdk) return refuse('no describeConversation on the page');
    attempt(
      () =>
        sdk.describeConversation!({ conversationId: context.conversationId, customAttributes }, (_response, error) => {
          if (error) refuse('describeConversation failed', error);
        }),
      (e) => refuse('describeConversation threw', e),
    );
  };
  return stitch;
}

/**
 * The tracker's side of identity stitching, the one call into a stitcher: when a conversation starts, the
 * `stitchIdentities` option writes the ids the destinations tell into it. Failures are counted for `stats()`.
 */
export function createStitching(options: TrackerOptions, win: Window, debug: Debug) {
  let failures = 0;
  const failed = () => void failures++;

  /** The visitor's ids from every destination. */
  const identities = () => {
    // No prototype: an identity named "__proto__" stays a plain key (and is then refused as an attribute name).
    const all: Record<string, string | undefined> = Object.create(null);
    for (const destination of options.destinations) {
      Object.assign(all, attempt(() => destination.identity?.(), DEBUG_BUILD && ((e) => debug(`${destination.name}: identity failed`, e))));
    }
    return all;
  };

  return {
    event(event: ChatEvent): void {
      const stitcher = options.stitchIdentities;
      if (!stitcher || event.action !== 'conversation_started' || !event.conversationId) return;
      attempt(
        () => stitcher({ window: win, conversationId: event.conversationId!, identities, debug, failed }),
        (e) => (failed(), DEBUG_BUILD && debug('stitchIdentities failed', e)),
      );
    },
    failures: () => failures,
  };
}
