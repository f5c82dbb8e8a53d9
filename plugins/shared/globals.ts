/** The page's window, or undefined outside a browser (server rendering, tests in node). */
export function pageWindow(): (Window & Record<string, unknown>) | undefined {
  return typeof window !== 'undefined' ? (window as unknown as Window & Record<string, unknown>) : undefined;
}

/** `window[name]`, created as an empty dataLayer when missing (as GTM's and gtag's snippets do); never replaced. */
export function dataLayerOf(name: string): unknown {
  const win = pageWindow();
  return win && (win[name] ??= []);
}

/** An SDK given directly, as a getter, or (default) looked up on window at send time, never captured once. */
export type SdkSource<T> = T | (() => T | undefined) | undefined;

export function sdkGetter<T>(source: SdkSource<T>, globalName: string): () => T | undefined {
  if (typeof source === 'function') return source as () => T | undefined;
  if (source) return () => source;
  return () => pageWindow()?.[globalName] as T | undefined;
}

const instanceNumbers = new WeakMap<object, number>();
let instances = 0;

/**
 * De-duplication key of a destination: one per SDK instance, so that two trackers feeding the same instance
 * deliver an event once, while two instances (two Segment write keys) each get it.
 */
export function instanceKey(name: string, sdk: unknown): string {
  if (!sdk || typeof sdk !== 'object') return name;
  if (!instanceNumbers.has(sdk)) instanceNumbers.set(sdk, ++instances);
  return `${name}:${instanceNumbers.get(sdk)}`;
}

/** Whether `value` is an object with a `track` method: an SDK instance, not a snippet's stub array. */
export function isTracker(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && typeof (value as { track?: unknown }).track === 'function';
}
