import { attempt } from './safe';

/** The two Kustomer globals we listen to, with their start method and their loader's window event. */
export interface SdkGlobal {
  name: 'Kustomer' | 'KustomerCore';
  start: 'start' | 'init';
  loadedEvent: string;
}

export const WIDGET_GLOBAL: SdkGlobal = { name: 'Kustomer', start: 'start', loadedEvent: 'kustomerLoaded' };
export const CORE_GLOBAL: SdkGlobal = { name: 'KustomerCore', start: 'init', loadedEvent: 'kustomerCoreLoaded' };

export interface KustomerLike {
  addListener(name: string, fn: (payload: unknown, error?: unknown) => void): void;
  removeListener(name: string, fn: (payload: unknown, error?: unknown) => void): void;
}

const WRAPPED = Symbol.for('kustomer-chat-analytics.wrapped');

function hasListenerApi(sdk: unknown): sdk is KustomerLike {
  return attempt(() => typeof (sdk as KustomerLike).addListener === 'function' && typeof (sdk as KustomerLike).removeListener === 'function') === true;
}

/**
 * Calls `ready(sdk)` whenever the Kustomer global can take listeners, whatever the load order:
 * - already started: at once;
 * - loader present (only `start`): when its start callback fires, the only documented ready signal;
 * - not there yet: at the loader's window event, heard in the capture phase so that it runs before the page's
 *   own handler, which usually calls `start`;
 * - the loader replaced by the full SDK after the page has called `start` (its callback out of our reach): through
 *   an accessor on the existing `window[name]` that sees the assignment; or the loader filled in with the full API:
 *   through accessors for its `addListener`/`removeListener`. No global is created that was not there.
 * Returns a function that undoes all of it: the start wrapper, the accessor, the event listener.
 * Runs no timer and no polling.
 */
export function watchSdk(win: Window, spec: SdkGlobal, ready: (sdk: KustomerLike) => void, onError: (e: unknown) => void): () => void {
  const globals = win as unknown as Record<string, unknown>;
  const restorers: Array<() => void> = [];
  let watchingAssignments = false;
  const readyIfPossible = (sdk: unknown) => {
    if (hasListenerApi(sdk)) attempt(() => ready(sdk), onError);
  };

  const wrapStart = (sdk: Record<string, unknown>) => {
    const original = sdk[spec.start];
    if (typeof original !== 'function' || (original as { [WRAPPED]?: boolean })[WRAPPED]) return;
    const wasOwn = Object.prototype.hasOwnProperty.call(sdk, spec.start);
    const wrapper = function (this: unknown, ...args: unknown[]) {
      const callback = args[1];
      args[1] = function (this: unknown, ...callbackArgs: unknown[]) {
        // Look the global up again: the full SDK may have replaced the loader object.
        readyIfPossible(globals[spec.name]);
        return typeof callback === 'function' ? callback.apply(this, callbackArgs) : undefined;
      };
      return original.apply(this, args);
    };
    Object.defineProperty(wrapper, WRAPPED, { value: true });
    sdk[spec.start] = wrapper;
    restorers.push(() => {
      if (sdk[spec.start] !== wrapper) return;
      if (wasOwn) sdk[spec.start] = original;
      else delete sdk[spec.start];
    });
  };

  // Turns the existing `window[name]` data property into an accessor, to see the full SDK replace the loader.
  const watchAssignments = () => {
    const descriptor = Object.getOwnPropertyDescriptor(win, spec.name);
    if (watchingAssignments || !descriptor || !descriptor.configurable || !('value' in descriptor)) return;
    watchingAssignments = true;
    let value = descriptor.value;
    const get = () => value;
    Object.defineProperty(win, spec.name, {
      configurable: true,
      enumerable: descriptor.enumerable,
      get,
      set(next: unknown) {
        value = next;
        see(next);
      },
    });
    restorers.push(() => {
      if (Object.getOwnPropertyDescriptor(win, spec.name)?.get !== get) return;
      Object.defineProperty(win, spec.name, { configurable: true, enumerable: descriptor.enumerable, writable: true, value });
    });
  };

  // The full SDK may instead fill in the loader object: see its listener methods arrive on it. Until then they
  // read as undefined, as before.
  const watchFillIn = (loader: Record<string, unknown>) => {
    for (const method of ['addListener', 'removeListener']) {
      if (method in loader || !Object.isExtensible(loader)) continue;
      const set = (value: unknown) => {
        Object.defineProperty(loader, method, { configurable: true, enumerable: true, writable: true, value });
        readyIfPossible(loader);
      };
      Object.defineProperty(loader, method, { configurable: true, get: () => undefined, set });
      restorers.push(() => {
        if (Object.getOwnPropertyDescriptor(loader, method)?.set === set) delete loader[method];
      });
    }
  };

  const see = (sdk: unknown) =>
    attempt(() => {
      if (sdk === null || typeof sdk !== 'object') return;
      watchAssignments();
      wrapStart(sdk as Record<string, unknown>);
      if (hasListenerApi(sdk)) readyIfPossible(sdk);
      else watchFillIn(sdk as Record<string, unknown>);
    }, onError);

  const onLoaded = () => see(globals[spec.name]);
  win.addEventListener(spec.loadedEvent, onLoaded, true);
  restorers.push(() => win.removeEventListener(spec.loadedEvent, onLoaded, true));

  see(globals[spec.name]);
  return () => {
    while (restorers.length) attempt(restorers.pop()!, onError);
  };
}
