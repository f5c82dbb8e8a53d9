import { attempt } from './safe';

type Callback = (response: unknown, error: unknown, args: unknown[]) => void;

/**
 * Wraps `target[name](options, callback)`, a vendor method that answers through its callback, so that `observe`
 * sees the answer first, isolated; then the site's own callback gets the same arguments, and what it throws still
 * reaches the site. Returns the undo: the original method back, or, if another script wrapped it since, a
 * wrapper that only passes calls through.
 */
export function wrapMethod(target: Record<string, unknown>, name: string, observe: Callback): () => void {
  const original = attempt(() => target[name]);
  if (typeof original !== 'function') return () => {};
  let active = true;
  const wasOwn = Object.prototype.hasOwnProperty.call(target, name);
  const wrapper = function (this: unknown, ...args: unknown[]) {
    if (active) {
      const callback = args[1];
      args[1] = function (this: unknown, ...answer: unknown[]) {
        if (active) attempt(() => observe(answer[0], answer[1], args));
        return typeof callback === 'function' ? callback.apply(this, answer) : undefined;
      };
    }
    return original.apply(this, args);
  };
  if (!attempt(() => ((target[name] = wrapper), target[name] === wrapper))) return () => {};
  return () => {
    active = false;
    if (target[name] !== wrapper) return;
    if (wasOwn) target[name] = original;
    else delete target[name];
  };
}
