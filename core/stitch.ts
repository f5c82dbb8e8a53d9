import { attempt } from './safe';
import type { Destination, IdentityName, StitchOptions } from './tracker';

type Describe = (params: { conversationId: string; customAttributes: Record<string, string> }, callback?: (response: unknown, error?: unknown) => void) => void;

/**
 * Writes the visitor's analytics ids into the Kustomer conversation with `describeConversation`, the widget's
 * documented method for conversation custom attributes (the headless core's, on sites without the widget).
 * This goes from analytics to Kustomer only, and only ids.
 */
export function stitchIdentities(
  win: Window,
  conversationId: string,
  destinations: Destination[],
  options: true | StitchOptions,
  debug: (message: string, detail?: unknown) => void,
): void {
  const customAttributes: Record<string, string> = {};
  const names = options === true ? {} : options.attributes ?? {};
  for (const destination of destinations) {
    const ids = attempt(() => destination.identity?.(), (e) => debug(`${destination.name}: identity failed`, e)) ?? {};
    for (const [identity, value] of Object.entries(ids) as Array<[IdentityName, unknown]>) {
      if (typeof value === 'string' && value) customAttributes[names[identity] ?? `${identity}Str`] = value;
    }
  }
  if (!Object.keys(customAttributes).length) return debug('stitchIdentities: no analytics id known yet');
  const globals = win as unknown as Record<string, { describeConversation?: Describe } | undefined>;
  const sdk = [globals.Kustomer, globals.KustomerCore].find((candidate) => typeof candidate?.describeConversation === 'function');
  if (!sdk) return debug('stitchIdentities: no describeConversation on the page');
  attempt(
    () =>
      sdk.describeConversation!({ conversationId, customAttributes }, (_response, error) => {
        if (error) debug('stitchIdentities: describeConversation failed', error);
      }),
    (e) => debug('stitchIdentities: describeConversation threw', e),
  );
}
