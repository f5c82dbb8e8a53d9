import { DEBUG_BUILD } from './debug-build';
import { attempt } from './safe';
import type { ChatEvent } from './schema';
import type { ConsentOptions, Debug, Undo } from './types';
import { asUndo } from './undo';

/** Options of the consent gate: how much to hold, where held and granted events go. */
export interface ConsentGateOptions {
  bufferSize: number;
  debug: Debug;
  /** The next stage: the outlets. */
  pass(event: ChatEvent): void;
}

/**
 * The consent stage: passes events on while consent is granted; while it is not, holds them (bounded) or drops
 * them, as `consent.whileDenied` says. Held events go on, each once, at the next consent update or event that
 * finds consent granted. Consent is asked once per event.
 */
export function createConsentGate(consent: ConsentOptions | undefined, { bufferSize, debug, pass }: ConsentGateOptions) {
  const held: ChatEvent[] = [];
  let dropped = 0;

  const granted = () => !consent || attempt(() => consent.granted(), DEBUG_BUILD && ((e) => debug('consent check failed', e))) === true;
  const passHeld = () => {
    if (held.length) held.splice(0).forEach(pass);
  };

  return {
    accept(event: ChatEvent): void {
      if (granted()) {
        passHeld();
        return pass(event);
      }
      if (consent?.whileDenied === 'drop') {
        dropped++;
        if (DEBUG_BUILD) debug('no consent: event dropped', event.action);
        return;
      }
      held.push(event);
      if (held.length <= bufferSize) return;
      held.shift();
      dropped++;
      if (DEBUG_BUILD) debug('no consent and buffer full: oldest event dropped');
    },
    /** Follows consent changes until the returned undo: `consent.subscribe`'s own undo, and no update after it. */
    start(): Undo {
      let active = true;
      const update = () => {
        if (active && held.length && granted()) attempt(passHeld, DEBUG_BUILD && ((e) => debug('releasing held events failed', e)));
      };
      const undo = asUndo(attempt(() => consent?.subscribe?.(update), DEBUG_BUILD && ((e) => debug('consent subscribe failed', e))));
      return () => {
        active = false;
        undo();
      };
    },
    stats: () => ({ heldForConsent: held.length, droppedForConsent: dropped }),
  };
}
