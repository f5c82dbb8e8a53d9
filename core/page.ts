import { createDedupe, type Dedupe } from './dedupe';
import { attempt } from './safe';
import { createSource, type Source } from './source';

/**
 * What every copy of this library on a page shares (the drop-in and a bundle, or two versions): the Kustomer
 * source and the de-duplication, side by side in one object under a registered symbol. Its shape is a protocol
 * (`{ subscribe, claim }`, v1): change it only in ways older copies still understand.
 */
export type PageShared = Source & Dedupe;

const SHARED_NAME = 'kustomer-chat-analytics.hub.v1';
// Where a page cannot hold the shared object (no Symbol.for, a window that refuses new properties): one per copy.
const localShared = new WeakMap<Window, PageShared>();

function isPageShared(value: unknown): value is PageShared {
  return typeof (value as PageShared | undefined)?.subscribe === 'function' && typeof (value as PageShared).claim === 'function';
}

/** The page's shared source and de-duplication, created by the first copy of this library that asks. */
export function sharedOnPage(win: Window): PageShared {
  const key = attempt(() => Symbol.for(SHARED_NAME)) ?? SHARED_NAME;
  const holder = win as unknown as Record<string | symbol, unknown>;
  const found = attempt(() => holder[key]);
  if (isPageShared(found)) return found;
  const shared = localShared.get(win) ?? { ...createSource(win), ...createDedupe() };
  const placed = attempt(() => {
    Object.defineProperty(holder, key, { value: shared, configurable: true });
    return true;
  });
  if (!placed) localShared.set(win, shared);
  return shared;
}
