import { attempt } from './safe';
import type { Destination } from './types';

type Describe = (params: { conversationId: string; customAttributes: Record<string, string> }, callback?: (response: unknown, error?: unknown) => void) => void;

/** Options of `identityStitching()`. */
export interface StitchOptions {
  /** Kustomer conversation custom attribute per identity. Defaults: the identity's name + `Str` (`gaClientIdStr`). */
  attributes?: Record<string, string>;
}

/** What `createChatTracker` calls when a conversation starts, if given as `stitchIdentities`. */
export type IdentityStitcher = (win: Window, conversationId: string, destinations: Destination[], debug: (message: string, detail?: unknown) => void) => void;

/**
 * Opt-in identity stitching: when a conversation starts, writes the visitor's analytics ids (from the destinations)
 * into it with `describeConversation`, the widget's documented method for conversation custom attributes (the
 * headless core's, on sites without the widget). This goes from analytics to Kustomer only, and only ids.
 * A separate import, so that trackers which do not stitch do not carry it.
 *
 * @example
 * createChatTracker({ destinations, stitchIdentities: identityStitching({ attributes: { gaClientId: 'gaIdStr' } }) });
 */
export function identityStitching(options: StitchOptions = {}): IdentityStitcher {
  const names = options.attributes ?? {};
  return (win, conversationId, destinations, debug) => {
    const customAttributes: Record<string, string> = {};
    for (const destination of destinations) {
      const ids = attempt(() => destination.identity?.(), (e) => debug(`${destination.name}: identity failed`, e)) ?? {};
      for (const [identity, value] of Object.entries(ids) as Array<[string, unknown]>) {
        if (typeof value === 'string' && value) customAttributes[names[identity] ?? `${identity}Str`] = value;
      }
    }
    if (!Object.keys(customAttributes).length) return debug('stitchIdentities: no analytics id known yet');
    const globals = win as unknown as Record<string, { describeConversation?: Describe } | undefined>;
    const sdk = [globals.Kustomer, globals.KustomerCore].find((candidate) => typeof candidate?.describeConversation === 'function');
    if (!sdk) return debug('stitchIdentities: no describeConversation on the page');
    sdk.describeConversation!({ conversationId, customAttributes }, (_response, error) => {
      if (error) debug('stitchIdentities: describeConversation failed', error);
    });
  };
}
