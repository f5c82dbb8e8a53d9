import { attempt } from './safe';

/**
 * A small bounded key-value memory kept in sessionStorage, so counts hold across the pages of a visit.
 * When full, the least recently used entry goes first.
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
  /** Entries kept at most; the least recently used go first. */
  max?: number;
  /** Called once per kind of storage failure (blocked, full, unreadable, unknown format), not on every write. */
  onError?: (message: string, cause?: unknown) => void;
}

const FAILURES = {
  blocked: 'sessionStorage is blocked: chat memory lasts for this page only',
  full: 'sessionStorage is full or refuses writes: chat memory lasts for this page only',
  unreadable: 'sessionStorage could not be read: chat memory lasts for this page only',
  format: 'sessionStorage held chat memory in an unknown format (an older version?): it starts afresh',
};

// Our own text format, not JSON: a page may replace JSON, and Prototype.js 1.6 defines Array#toJSON
// (src/prototype/lang/array.js), which makes JSON.stringify write an array as a string, so it reads back as
// a string (https://github.com/prototypejs/prototype/issues/327, #344). A version line, then one entry a line,
// least recently used first: `<value> <key>`, with `%`, CR and LF of the key escaped.
const FORMAT = 'kca-memory 1';

function serialise(entries: Map<string, number>): string {
  let text = FORMAT;
  // `+` on a number primitive converts it without calling Number.prototype methods a page may have replaced.
  for (const [key, value] of entries) text += '\n' + value + ' ' + key.replace(/[%\r\n]/g, encodeURIComponent);
  return text;
}

/** Fills `into` from `text`; `false` when `text` is not in our format. Entries that do not parse are skipped. */
function parse(text: string, into: Map<string, number>): boolean {
  const lines = text.split('\n');
  if (lines[0] !== FORMAT) return false;
  for (let i = 1; i < lines.length; i++) {
    const space = lines[i].indexOf(' ');
    const value = Number(lines[i].slice(0, space));
    const key = attempt(() => decodeURIComponent(lines[i].slice(space + 1)));
    if (space > 0 && Number.isFinite(value) && key !== undefined) into.set(key, value);
  }
  return true;
}

function afterThisTask(fn: () => void) {
  Promise.resolve().then(() => attempt(fn));
}

export function createMemory(options: MemoryOptions = {}): ChatMemory {
  const { storageKey = 'kustomer-chat-analytics', max = 200, window: win } = options;
  const reported = new Set<keyof typeof FAILURES>();
  let storage: Storage | undefined;
  let storageLookedUp = false;
  let entries: Map<string, number> | undefined;
  let readable = false;
  let writable = false;
  let dirty = false; // the in-page copy differs from what storage holds
  let pending = false;
  let timer: number | undefined;
  let watchers = 0;

  const fail = (kind: keyof typeof FAILURES, cause?: unknown) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    attempt(() => options.onError?.(FAILURES[kind], cause));
  };

  const lookUpStorage = (): Storage | undefined => {
    if (options.storage === false) return undefined;
    if (options.storage) return options.storage;
    if (!win) return undefined;
    // Reading window.sessionStorage itself throws when storage is blocked (sandboxed iframes, some privacy modes).
    const found = attempt(() => win.sessionStorage, (cause) => fail('blocked', cause));
    if (found === null) fail('blocked');
    return found ?? undefined;
  };

  // Writing one small extra key tells a full storage at once; rewriting an unchanged value may not.
  const probe = (store: Storage) =>
    attempt(() => (store.setItem(`${storageKey}:probe`, '1'), store.removeItem(`${storageKey}:probe`), true), (cause) => fail('full', cause)) === true;

  const load = (): Map<string, number> => {
    if (entries) return entries;
    entries = new Map();
    if (!storageLookedUp) {
      storage = lookUpStorage();
      storageLookedUp = true;
    }
    const store = storage;
    const text = store && attempt(() => store.getItem(storageKey), (cause) => fail('unreadable', cause));
    readable = text !== undefined;
    if (typeof text === 'string' && !parse(text, entries)) fail('format');
    for (const oldest of entries.keys()) {
      if (entries.size <= max) break;
      entries.delete(oldest);
    }
    writable = readable && probe(store!);
    return entries;
  };

  const cancelPending = () => {
    if (timer !== undefined) attempt(() => win!.clearTimeout(timer));
    timer = undefined;
    pending = false;
  };

  const write = () => {
    cancelPending();
    // Never write over what storage holds when it could not be read: that may be newer than this page.
    if (!dirty || !entries || !storage || !readable) return;
    dirty = false;
    const store = storage;
    const text = serialise(entries);
    writable = attempt(() => (store.setItem(storageKey, text), true), (cause) => fail('full', cause)) === true;
  };

  // Serialising all entries is left off the event path: while `pagehide` is watched (it writes before the
  // page goes), on a timer; otherwise at the end of the current task, which any navigation waits for.
  const writeSoon = () => {
    dirty = true;
    if (pending || !storage || !readable) return;
    pending = true;
    if (watchers && win) timer = attempt(() => win.setTimeout(() => attempt(write), 0));
    if (timer === undefined) afterThisTask(write);
  };

  return {
    get(key) {
      const map = load();
      const value = map.get(key);
      if (value === undefined) return undefined;
      // Most recently used goes last; storage learns the new order with the next write.
      map.delete(key);
      map.set(key, value);
      dirty = true;
      return value;
    },
    set(key, value) {
      const map = load();
      map.delete(key);
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value!);
      writeSoon();
    },
    get persistent() {
      load();
      return readable && writable;
    },
    watch() {
      if (!win) return () => {};
      const onPageHide = () => attempt(write);
      const onPageShow = (event: Event) =>
        attempt(() => {
          if ((event as PageTransitionEvent).persisted !== true) return;
          // pagehide wrote this page's changes before it was cached, so nothing pending is lost here.
          cancelPending();
          entries = undefined;
          dirty = false;
        });
      let watching = attempt(() => (win.addEventListener('pagehide', onPageHide), win.addEventListener('pageshow', onPageShow), true)) === true;
      if (watching) watchers++;
      return () => {
        if (!watching) return;
        watching = false;
        watchers--;
        attempt(() => {
          win.removeEventListener('pagehide', onPageHide);
          win.removeEventListener('pageshow', onPageShow);
        });
        attempt(write);
      };
    },
  };
}
