import { attempt, read } from './safe';
import { undoList } from './undo';
import { wrapMethod } from './wrap';

/** The two Kustomer globals we listen to, with their start method and their loader's window event. */
export interface SdkGlobal {
  name: 'Kustomer' | 'KustomerCore';
  start: 'start' | 'init';
  loadedEvent: string;
}

export const WIDGET_GLOBAL: SdkGlobal = { name: 'Kustomer', start: 'start', loadedEvent: 'kustomerLoaded' };
export const CORE_GLOBAL: SdkGlobal = { name: 'KustomerCore', start: 'init', loadedEvent: 'kustomerCoreLoaded' };

export type KustomerListener = (payload: unknown, error?: unknown) => void;

export interface KustomerLike {
  addListener(name: string, fn: KustomerListener): void;
  removeListener?(name: string, fn: KustomerListener): void;
}

function hasListenerApi(sdk: unknown): sdk is KustomerLike {
  return attempt(() => typeof (sdk as KustomerLike).addListener === 'function') === true;
}

/**
 * Whether a Kustomer object has finished `start`/`init`, asked the documented way: `isChatAvailable()` answers
 * (`{ availability }` from the widget, a string from the core) only once initialisation is over; before, Kustomer
 * ignores the call. https://developer.kustomer.com/chat-sdk/docs/kustomer-is-chat-available
 */
function hasStarted(sdk: unknown): boolean {
  const answer = attempt(() => (sdk as { isChatAvailable?: () => unknown }).isChatAvailable?.());
  return typeof answer === 'string' || typeof read(answer, 'availability') === 'string';
}

// The bounded re-check: at most this many looks, 0.25 s after the loader is seen, then doubling (about a minute).
const RECHECKS = 8;
const FIRST_RECHECK_MS = 250;

/**
 * Calls `ready(sdk)` once per Kustomer object, once it has finished initialising, whatever the load order. Kustomer
 * ignores `addListener` before `start`/`init` has called back, so listening earlier would lose every event.
 * - A started SDK (its `isChatAvailable()` answers): at once.
 * - `start`/`init` called after this runs: at its callback, the only documented ready signal. The method is wrapped
 *   on the loader and on every object that replaces it (seen through an accessor on `window[name]` while that is
 *   a configurable data property, and at the loader's window event, heard in the capture phase so that it runs
 *   before the page's own handler).
 * - `start` called before this ran, or the SDK put in place where no accessor sees it (`Object.defineProperty`,
 *   `var Kustomer`, another script's accessor, a frozen loader): no documented signal exists, so a bounded
 *   re-check looks again 8 times over about a minute, only once a Kustomer object exists and only until it is ready.
 * Vendor methods other than `start`/`init` are never shadowed. Returns the undo of all of it.
 */
export function watchSdk(win: Window, spec: SdkGlobal, ready: (sdk: KustomerLike) => void, onError: (e: unknown) => void): () => void {
  const globals = win as unknown as Record<string, unknown>;
  const undos = undoList(onError);
  const wrapped = new WeakSet<object>();
  let readied: unknown;
  let active = true;
  let timer: number | undefined;
  let rechecks = 0;

  const current = () => attempt(() => globals[spec.name]);

  const readyIfStarted = (sdk: unknown, knownStarted: boolean): boolean => {
    if (sdk === readied) return true;
    if (!active || !hasListenerApi(sdk) || !(knownStarted || hasStarted(sdk))) return false;
    readied = sdk;
    attempt(() => ready(sdk), onError);
    return true;
  };

  const wrapStart = (sdk: Record<string, unknown>) => {
    if (wrapped.has(sdk)) return;
    wrapped.add(sdk);
    // A frozen object or a read-only `start` refuses the wrapper: the re-check covers that case.
    undos.add(
      wrapMethod(sdk, spec.start, () => {
        // Look the global up again: the full SDK may have replaced the loader object.
        if (!readyIfStarted(current(), true)) see(current());
      }),
    );
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
        see(next);
      },
    });
    undos.add(() => {
      if (Object.getOwnPropertyDescriptor(win, spec.name)?.get !== get) return;
      Object.defineProperty(win, spec.name, { configurable: true, enumerable: descriptor.enumerable, writable: true, value });
    });
  };

  const recheckLater = () => {
    if (timer !== undefined || rechecks >= RECHECKS) return;
    timer = win.setTimeout(() => {
      timer = undefined;
      rechecks++;
      see(current());
    }, FIRST_RECHECK_MS * 2 ** rechecks);
  };

  function see(sdk: unknown) {
    attempt(() => {
      if (!active || sdk === null || typeof sdk !== 'object') return;
      // Each step on its own: a window that refuses the accessor must not cost the rest.
      attempt(watchAssignments, onError);
      wrapStart(sdk as Record<string, unknown>);
      if (!readyIfStarted(sdk, false)) recheckLater();
    }, onError);
  }

  const onLoaded = () => {
    rechecks = 0; // a new loader: a new bounded round of re-checks
    see(current());
  };
  win.addEventListener(spec.loadedEvent, onLoaded, true);
  undos.add(() => win.removeEventListener(spec.loadedEvent, onLoaded, true));

  see(current());
  return () => {
    active = false;
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    undos.undoAll();
  };
}
