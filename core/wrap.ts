import { attempt } from './safe';

type Callback = (response: unknown, error: unknown, args: unknown[]) => void;
type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Puts `makeWrapper(original, isActive)` in place of `target[name]`. Returns the undo: the original method back,
 * or, if another script wrapped it since, a wrapper that only passes calls through (`isActive()` turns false).
 */
function replaceMethod(target: Record<string, unknown>, name: string, makeWrapper: (original: Method, isActive: () => boolean) => Method): () => void {
  const original = attempt(() => target[name]);
  if (typeof original !== 'function') return () => {};
  let active = true;
  const wasOwn = Object.prototype.hasOwnProperty.call(target, name);
  const wrapper = makeWrapper(original as Method, () => active);
  if (!attempt(() => ((target[name] = wrapper), target[name] === wrapper))) return () => {};
  return () => {
    active = false;
    if (target[name] !== wrapper) return;
    if (wasOwn) target[name] = original;
    else delete target[name];
  };
}

/**
 * Wraps `target[name](options, callback)`, a vendor method that answers through its callback, so that `observe`
 * sees the answer first, isolated; then the site's own callback gets the same arguments, and what it throws still
 * reaches the site.
 */
export function wrapMethod(target: Record<string, unknown>, name: string, observe: Callback): () => void {
  return replaceMethod(target, name, (original, isActive) =>
    function wrapper(this: unknown, ...args: unknown[]) {
      if (isActive()) {
        const callback = args[1];
        args[1] = function (this: unknown, ...answer: unknown[]) {
          if (isActive()) attempt(() => observe(answer[0], answer[1], args));
          return typeof callback === 'function' ? callback.apply(this, answer) : undefined;
        };
      }
      return original.apply(this, args);
    },
  );
}

/**
 * Tells `observe` of every call of `target[name]`, isolated, before the method runs with its arguments untouched;
 * what it returns and throws still reach the caller.
 */
export function observeCalls(target: Record<string, unknown>, name: string, observe: () => void): () => void {
  return replaceMethod(target, name, (original, isActive) =>
    function wrapper(this: unknown, ...args: unknown[]) {
      if (isActive()) attempt(observe);
      return original.apply(this, args);
    },
  );
}
