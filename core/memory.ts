import { DEBUG_BUILD } from './debug-build';
import { hash53 } from './event';
import { attempt } from './safe';

/**
 * A bounded key-value memory kept in sessionStorage, so counts hold across the pages of a visit. Keys are kept
 * as their 53-bit hash (about 20 characters an entry in storage, whatever the key); when full, the least recently
 * used entry goes first.
 */
export interface ChatMemory {
  /** The remembered value; reading an entry makes it the most recently used. */
  get(key: string): number | undefined;
  set(key: string, value: number): void;
  /**
   * True while sessionStorage both reads and writes: what is set now will be there on the next page of the
   * visit. False with `storage: false`, without storage, and while storage is blocked, full or throws.
   */
  readonly persistent: boolean;
  /**
   * Listens to the page's `pagehide` (writes what is pending, before the page goes) and `pageshow` (restored
   * from the back/forward cache: forgets the in-page copy, as a newer page of the visit may have written
   * since). Returns its undo, which also writes what is pending.
   */
  watch(): () => void;
}

export interface MemoryOptions {
  /** `false` keeps memory for this page only. Default: the window's sessionStorage. */
  storage?: Storage | false;
  window?: Window;
  storageKey?: string;
  /** Entries kept at most; the least recently used go first. Default: MEMORY_ENTRIES. */
  max?: number;
  /** Called once per kind of storage failure (blocked, full, unreadable, unknown format), not on every write. */
  onError?: (message: string, cause?: unknown) => void;
}

// Storage failures, reported once each: `sessionStorage ${failure}: …`.
type Failure = 'blocked' | 'full' | 'unreadable' | 'in an unknown format';

/**
 * Entries kept by default: 4 for each of 10,000 conversations (reported once, ended, reopened, unread rises).
 * At about 20 characters an entry, at most 800,000 characters of sessionStorage.
 */
export const MEMORY_ENTRIES = 40000;

// Our own text format, not JSON: a page may replace JSON, and Prototype.js 1.6 defines Array#toJSON
// (src/prototype/lang/array.js), which makes JSON.stringify write an array as a string, so it reads back as
// a string (https://github.com/prototypejs/prototype/issues/327, #344). A version line, then one entry a line,
// least recently used first: `<value> <key's hash in base 36>`. Version 1 wrote the key itself, escaped.
const FORMAT = 'kca-memory 2';
const FORMAT_1 = 'kca-memory 1';

function serialise(entries: Map<number, number>): string {
  let text = FORMAT;
  // `+` on a number primitive converts it without calling Number.prototype methods a page may have replaced.
  entries.forEach((value, key) => (text += '\n' + value + ' ' + key.toString(36)));
  return text;
}

/** Fills `into` from `text`; `false` when `text` is not in our format. Entries that do not parse are skipped. */
function parse(text: string, into: Map<number, number>): boolean {
  const lines = text.split('\n');
  const version1 = lines[0] === FORMAT_1;
  if (lines[0] !== FORMAT && !version1) return false;
  for (let i = 1; i < lines.length; i++) {
    const space = lines[i].indexOf(' ');
    const value = Number(lines[i].slice(0, space));
    const written = lines[i].slice(space + 1);
    const decoded = version1 ? attempt(() => decodeURIComponent(written)) : written;
    const key = decoded === undefined ? NaN : version1 ? hash53(decoded) : parseInt(decoded, 36);
    if (space > 0 && Number.isFinite(value) && Number.isFinite(key)) into.set(key, value);
  }
  return true;
}

export function createMemory(options: MemoryOptions = {}): ChatMemory {
  const { storageKey = 'kustomer-chat-analytics', max = MEMORY_ENTRIES, window: win } = options;
  const reported = new Set<Failure>();
  let entries: Map<number, number> | undefined;
  // Where memory is kept: unset without storage, and when storage could not be read (never write over what
  // storage holds then: it may be newer than this page).
  let store: Storage | undefined;
  let writable = false;
  let dirty = false; // the in-page copy differs from what storage holds
  let pending = false;
  let timer: number | undefined;
  let watchers = 0;

  const fail = (failure: Failure) => (cause?: unknown) => {
    if (reported.has(failure)) return;
    reported.add(failure);
    const outcome = failure === 'in an unknown format' ? 'chat memory starts afresh' : 'chat memory lasts for this page only';
    if (DEBUG_BUILD) attempt(() => options.onError?.(`sessionStorage ${failure}: ${outcome}`, cause));
  };

  const save = (key: string, text: string, thenRemove?: boolean) =>
    attempt(() => (store!.setItem(key, text), thenRemove && store!.removeItem(key), true), fail('full')) === true;

  const load = (): Map<number, number> => {
    if (entries) return entries;
    entries = new Map();
    // Reading window.sessionStorage itself throws when storage is blocked (sandboxed iframes, some privacy modes).
    store = (options.storage ?? (win && attempt(() => win.sessionStorage ?? fail('blocked')(), fail('blocked')))) || undefined;
    const text = store && attempt(() => store!.getItem(storageKey), fail('unreadable'));
    if (text === undefined) store = undefined;
    else if (text !== null && !parse(text, entries)) fail('in an unknown format')();
    // Writing one small extra key tells a full storage at once; rewriting an unchanged value may not.
    writable = !!store && save(`${storageKey}:probe`, '1', true);
    return entries;
  };

  const cancelWrite = () => {
    if (timer !== undefined) attempt(() => win!.clearTimeout(timer));
    timer = undefined;
    pending = false;
  };

  const write = () => {
    cancelWrite();
    if (dirty && entries && store) writable = save(storageKey, serialise(entries));
    dirty = false;
  };

  // Serialising all entries is left off the event path: on a timer while `pagehide` is watched (it writes
  // before the page goes), else at the end of the current task, which any navigation waits for.
  const writeSoon = () => {
    dirty = true;
    if (pending || !store) return;
    pending = true;
    if (watchers) timer = attempt(() => win!.setTimeout(write, 0));
    if (timer === undefined) Promise.resolve().then(write);
  };

  return {
    get(name) {
      const map = load();
      const key = hash53(name);
      const value = map.get(key);
      if (value === undefined) return undefined;
      // Most recently used goes last; storage learns the new order with the next write.
      map.delete(key);
      map.set(key, value);
      dirty = true;
      return value;
    },
    set(name, value) {
      const map = load();
      const key = hash53(name);
      map.delete(key);
      map.set(key, value);
      while (map.size > max) map.delete(map.keys().next().value!);
      writeSoon();
    },
    get persistent() {
      load();
      return writable;
    },
    watch() {
      if (!win) return () => {};
      const onPageHide = () => attempt(write);
      const onPageShow = (event: Event) => {
        // Restored from the back/forward cache: pagehide wrote this page's changes before it was cached, and
        // newer pages of the visit may have written since, so the next access reads storage again.
        if (attempt(() => (event as PageTransitionEvent).persisted) !== true) return;
        cancelWrite();
        entries = undefined;
      };
      const listen = (method: 'addEventListener' | 'removeEventListener') =>
        attempt(() => (win[method]('pagehide', onPageHide), win[method]('pageshow', onPageShow), true)) === true;
      let watching = listen('addEventListener');
      if (watching) watchers++;
      return () => {
        if (!watching) return;
        watching = false;
        watchers--;
        listen('removeEventListener');
        attempt(write);
      };
    },
  };
}
