import { attempt } from './safe';
import type { Undo } from './types';

/** The undo a hook returned; anything but a function (a hook written before hooks returned one) undoes nothing. */
export function asUndo(returned: unknown): Undo {
  return typeof returned === 'function' ? () => void (returned as () => unknown)() : () => {};
}

/** A list of undos, run newest first by `undoAll()`, each isolated: one that throws does not stop the others. */
export function undoList(onError?: ((error: unknown) => void) | false) {
  const undos: Undo[] = [];
  return {
    add(undo: Undo): void {
      undos.push(undo);
    },
    undoAll(): void {
      while (undos.length) attempt(undos.pop()!, onError);
    },
  };
}
