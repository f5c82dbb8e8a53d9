import { attempt } from './safe';
import type { SdkStatus } from './types';
import { undoList } from './undo';
import { observeCalls, wrapMethod } from './wrap';

/** The two Kustomer globals we listen to, with their start (and stop) methods and their loader's window event. */
export interface SdkGlobal {
  name: 'Kustomer' | 'KustomerCore';
  start: 'start' | 'init';
  /** The method that removes every listener ("stops all event listeners"), where the SDK has one. */
  stop?: 'stop';
  loadedEvent: string;
}

// https://developer.kustomer.com/chat-sdk/docs/kustomer-stop: "Removes the chat widget from the page and stops
// all event listeners. You must call Kustomer.start() again if you want to reinitialize."
export const WIDGET_GLOBAL: SdkGlobal = { name: 'Kustomer', start: 'start', stop: 'stop', loadedEvent: 'kustomerLoaded' };
export const CORE_GLOBAL: SdkGlobal = { name: 'KustomerCore', start: 'init', loadedEvent: 'kustomerCoreLoaded' };

export type KustomerListener = (payload: unknown, error?: unknown) => void;

export interface KustomerLike {
  addListener(name: string, fn: KustomerListener): void;
  removeListener?(name: string, fn: KustomerListener): void;
}

/** The status of a Kustomer global nobody has seen (or no copy of the library can tell of). */
export const ABSENT: SdkStatus = Object.freeze({ state: 'absent', attachAttempts: 0 });

export interface SdkWatch {
  status(): SdkStatus;
  /** Stops watching: every wrapper, accessor, window listener and timer removed. */
  undo(): void;
}

function hasListenerApi(sdk: unknown): sdk is KustomerLike {
  return attempt(() => typeof (sdk as KustomerLike).addListener === 'function') === true;
}

// While Kustomer is on the page and no listener is proven live: one re-attach every RECHECK_MS, flat, so an
// unseen start finishing is heard within that window whatever its duration; at most RECHECKS in a row (two
// minutes) unless a new sign of Kustomer (loader event, new object, start/stop call) starts another round.
export const RECHECK_MS = 50;
const RECHECKS = 2400;

/**
 * Keeps listeners live on a Kustomer global, whatever the load order and whatever `isChatAvailable()` answers
 * (Kustomer ignores `addListener` before `start`/`init` has called back, and nothing on the object tells when that
 * was). `attach(sdk, heard)` adds the listeners (undoing its previous ones itself); the listeners call `heard()`
 * when Kustomer calls them: that, or start's callback, proves them live.
 * - `start`/`init`, wrapped on the loader and on every object that replaces it (seen through an accessor on
 *   `window[name]` and at the loader's window event, heard in the capture phase): its callback, the documented
 *   ready signal, attaches at once, after every start of the same object too.
 * - `stop`, observed the same way: Kustomer drops every listener, so they are no longer live.
 * - Anything unseen (start called before this ran, an SDK put where no accessor sees it, a frozen loader): while
 *   a Kustomer object exists and no listener is proven live, re-attach every RECHECK_MS. No timer runs when the
 *   page has no Kustomer or once a listener is proven live.
 * Vendor methods other than `start`/`init`/`stop` are never shadowed.
 */
export function watchSdk(
  win: Window,
  spec: SdkGlobal,
  attach: (sdk: KustomerLike, heard: () => void) => void,
  onError: ((e: unknown) => void) | false,
): SdkWatch {
  const globals = win as unknown as Record<string, unknown>;
  const undos = undoList(onError);
  const wrapped = new WeakSet<object>();
  let attachedTo: unknown;
  let live = false;
  let attempts = 0;
  let active = true;
  let timer: number | undefined;
  let rechecksLeft = RECHECKS;

  const current = () => attempt(() => globals[spec.name]);

  const cancelRecheck = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
  };

  const attachTo = (sdk: unknown, proven: boolean) => {
    if (!active || !hasListenerApi(sdk)) return;
    const round = ++attempts;
    attachedTo = sdk;
    live = proven;
    if (proven) cancelRecheck();
    attempt(
      () =>
        attach(sdk, () => {
          if (live || round !== attempts) return;
          live = true;
          cancelRecheck();
        }),
      onError,
    );
  };

  const recheckLater = () => {
    if (timer !== undefined || live || !active || rechecksLeft <= 0) return;
    timer = win.setTimeout(() => {
      timer = undefined;
      rechecksLeft--;
      see(current());
    }, RECHECK_MS);
  };

  const wrapLifecycle = (sdk: Record<string, unknown>) => {
    if (wrapped.has(sdk)) return;
    wrapped.add(sdk);
    // A frozen object or a read-only method refuses the wrapper: the re-check covers that case.
    undos.add(
      wrapMethod(sdk, spec.start, () => {
        // Look the global up again: the full SDK may have replaced the loader object.
        const started = current();
        if (hasListenerApi(started)) attachTo(started, true);
        else see(started);
      }),
    );
    if (spec.stop) {
      undos.add(
        observeCalls(sdk, spec.stop, () => {
          live = false;
          rechecksLeft = RECHECKS;
          recheckLater();
        }),
      );
    }
  };

  // Turns the existing `window[name]` data property into an accessor, to see the full SDK replace the loader.
  let watchingAssignments = false;
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
        rechecksLeft = RECHECKS;
        see(next);
      },
    });
    undos.add(() => {
      if (Object.getOwnPropertyDescriptor(win, spec.name)?.get !== get) return;
      Object.defineProperty(win, spec.name, { configurable: true, enumerable: descriptor.enumerable, writable: true, value });
    });
  };

  function see(sdk: unknown) {
    attempt(() => {
      if (!active || sdk === null || typeof sdk !== 'object') return;
      // Each step on its own: a window that refuses the accessor must not cost the rest.
      attempt(watchAssignments, onError);
      wrapLifecycle(sdk as Record<string, unknown>);
      // Never twice on a live object: a removeListener that does nothing would leave two live listeners.
      if (live && sdk === attachedTo) return;
      attachTo(sdk, false);
      recheckLater();
    }, onError);
  }

  const onLoaded = () => {
    rechecksLeft = RECHECKS; // a new loader: a new round of re-checks
    see(current());
  };
  win.addEventListener(spec.loadedEvent, onLoaded, true);
  undos.add(() => win.removeEventListener(spec.loadedEvent, onLoaded, true));

  see(current());
  return {
    status() {
      const sdk = current();
      if (sdk === null || typeof sdk !== 'object') return { ...ABSENT, attachAttempts: attempts };
      return { state: live ? 'listening' : 'waiting', attachAttempts: attempts };
    },
    undo() {
      active = false;
      cancelRecheck();
      undos.undoAll();
    },
  };
}
