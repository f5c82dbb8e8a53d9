import { attempt } from '../../core/safe';

interface HasReady {
  ready?: (callback: () => void) => unknown;
}

export interface LiveSdk<T> {
  /** The real SDK instance now; `undefined` while there is only a snippet's stub, an unloaded wrapper, or nothing. */
  current(): T | undefined;
  /** True once the real instance's own `ready` has called back. */
  isReady(): boolean;
  /** Hands over the tracker's `flush`; returns the undo: no flush after it. */
  onReady(flush: () => void): () => void;
}

const WAKE_RETRIES = 40;
const WAKE_DELAY_MS = 50;

/**
 * Follows the SDK a site really runs, whatever reference it gave us: a snippet's stub array (Segment 4.x/5.x,
 * RudderStack 3.0/3.2), an `AnalyticsBrowser`, the instance itself, or nothing yet. `resolve` turns what `get`
 * returns into the real instance, looked up again at every call, never captured.
 * - Readiness is asked of the real instance only, once per instance. When its `ready` calls back at once (a
 *   loaded RudderStack does), the caller is already flushing: no nested flush.
 * - The `ready` of a stub or wrapper only wakes us up. It may fire before the SDK has replaced the global
 *   (RudderStack replays the snippet's `ready` inside its constructor), so nothing is sent from inside it: a
 *   flush runs on a later turn, resolves again, and while the global still holds the stub, waits a little more.
 */
export function followLiveSdk<T extends HasReady>(get: () => unknown, resolve: (candidate: unknown) => T | undefined): LiveSdk<T> {
  const ready = new WeakSet<object>();
  const asked = new WeakSet<object>();
  const woken = new WeakSet<object>();
  let flush = () => {};
  let asking = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeRetries = 0;

  const current = () => attempt(() => resolve(get()));

  const flushSoon = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush();
      if (!current() && ++wakeRetries < WAKE_RETRIES) flushSoon();
    }, wakeRetries ? WAKE_DELAY_MS : 0);
  };

  const wakeThrough = (candidate: unknown) => {
    const stub = candidate as HasReady | undefined;
    if (!stub || typeof stub !== 'object' || woken.has(stub) || typeof stub.ready !== 'function') return;
    woken.add(stub);
    wakeRetries = 0;
    attempt(() => stub.ready!(flushSoon));
  };

  const askReady = (sdk: T) => {
    if (asked.has(sdk) || typeof sdk.ready !== 'function') return;
    asked.add(sdk);
    asking = true;
    try {
      sdk.ready(() => {
        ready.add(sdk);
        if (!asking) flush();
      });
    } catch {
      asked.delete(sdk);
    } finally {
      asking = false;
    }
  };

  const isReady = () => {
    const sdk = current();
    if (!sdk) {
      attempt(() => wakeThrough(get()));
      return false;
    }
    askReady(sdk);
    return ready.has(sdk);
  };

  return {
    current,
    isReady,
    onReady(next) {
      flush = next;
      isReady();
      return () => {
        if (flush !== next) return;
        flush = () => {};
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
    },
  };
}
