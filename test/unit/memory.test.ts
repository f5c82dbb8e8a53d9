import { afterEach, describe, expect, it } from 'vitest';
import { JSDOM } from 'jsdom';
import { createMemory, type MemoryOptions } from '../../core/memory';

const KEY = 'kustomer-chat-analytics';
const undos: Array<() => void> = [];
afterEach(() => undos.splice(0).forEach((undo) => undo()));

/** A window with the page-transition events jsdom implements (lib.dom has the constructor on globalThis only). */
type PageWindow = Window & { PageTransitionEvent: typeof PageTransitionEvent };

function page() {
  return new JSDOM('<!doctype html>', { url: 'https://shop.test/' }).window as unknown as PageWindow;
}

/**
 * A Storage in front of a page's real (jsdom) sessionStorage that counts writes of the memory's key and can be
 * made to fail like a browser does. Assigning `storage.setItem = …` on a real Storage would store an item named
 * "setItem" instead (Storage has a named property setter: https://html.spec.whatwg.org/multipage/webstorage.html).
 */
function storageOf(win: Window, faults: { read?: boolean; write?: () => boolean } = {}) {
  const real = win.sessionStorage;
  const writes: string[] = [];
  const storage = {
    get length() {
      return real.length;
    },
    key: (index: number) => real.key(index),
    clear: () => real.clear(),
    removeItem: (key: string) => real.removeItem(key),
    getItem(key: string) {
      if (faults.read) throw new DOMException('The operation is insecure.', 'SecurityError');
      return real.getItem(key);
    },
    setItem(key: string, value: string) {
      // https://developer.mozilla.org/en-US/docs/Web/API/Storage/setItem#exceptions
      if (faults.write?.()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      if (key === KEY) writes.push(value);
      real.setItem(key, value);
    },
  };
  return { storage: storage as Storage, writes, real };
}

function memory(options: MemoryOptions & { errors?: string[] }) {
  return createMemory({ ...options, onError: (message) => options.errors?.push(message) });
}

const endOfTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const nextTimer = (win: Window) => new Promise((resolve) => win.setTimeout(resolve, 0));

describe('createMemory()', () => {
  it('keeps values across the pages of a visit', async () => {
    const { storage } = storageOf(page());
    memory({ storage }).set('unread', 3);
    await endOfTask();
    expect(memory({ storage }).get('unread')).toBe(3);
  });

  it('does not write on each set: 200 sets in one task make one write, after it', async () => {
    const { storage, writes } = storageOf(page());
    const chat = memory({ storage });
    for (let i = 0; i < 200; i++) chat.set(`once:k${i}`, 1);
    expect(writes).toHaveLength(0);
    await endOfTask();
    expect(writes).toHaveLength(1);
    expect(memory({ storage }).get('once:k199')).toBe(1);
  });

  it('while watching the page, writes on a timer, and at pagehide if the page goes first', async () => {
    const win = page();
    const { storage, writes, real } = storageOf(win);
    const chat = memory({ storage, window: win });
    undos.push(chat.watch());
    chat.set('once:k1', 1);
    await Promise.resolve();
    expect(writes).toHaveLength(0);
    win.dispatchEvent(new win.PageTransitionEvent('pagehide', { persisted: false }));
    expect(writes).toHaveLength(1);
    expect(memory({ storage: real }).get('once:k1')).toBe(1);

    chat.set('once:k2', 1);
    await nextTimer(win);
    expect(writes).toHaveLength(2);
    expect(memory({ storage }).get('once:k2')).toBe(1);
  });

  it('refreshes an entry when it is read, so the least recently used goes first, also on the next page', async () => {
    const { storage, writes } = storageOf(page());
    const first = memory({ storage, max: 3 });
    ['a', 'b', 'c'].forEach((key) => first.set(key, 1));
    expect(first.get('a')).toBe(1);
    first.set('d', 1);
    expect([first.get('b'), first.get('c'), first.get('a'), first.get('d')]).toEqual([undefined, 1, 1, 1]);
    await endOfTask();
    const written = writes.length;
    // Reads refresh the order in the page; storage learns it with the next write, not on every read.
    const next = memory({ storage, max: 3 });
    next.get('c');
    await endOfTask();
    expect(writes).toHaveLength(written);
    next.set('e', 1);
    expect([next.get('a'), next.get('c'), next.get('d'), next.get('e')]).toEqual([undefined, 1, 1, 1]);
    await endOfTask();
    const third = memory({ storage, max: 3 });
    expect(['a', 'c', 'd', 'e'].map((key) => third.get(key))).toEqual([undefined, 1, 1, 1]);
  });

  it('keeps 10,000 conversations of 4 keys each, at about 20 characters an entry, and forgets the oldest past that', async () => {
    const { storage, real } = storageOf(page());
    const chat = memory({ storage });
    for (let c = 0; c < 10000; c++) for (const kind of ['once', 'ended', 'round', 'rises']) chat.set(`${kind}:conversation_${c}`, 1);
    await endOfTask();
    const next = memory({ storage });
    expect(next.get('once:conversation_0')).toBe(1);
    expect(next.get('rises:conversation_9999')).toBe(1);
    const text = real.getItem(KEY)!;
    expect(text.split('\n')).toHaveLength(40001);
    expect(text.length / 40000).toBeLessThan(20);
    next.set('once:conversation_10000', 1); // one more: the least recently used entry goes
    expect(next.get('ended:conversation_0')).toBeUndefined();
  });

  it('reads memory version 1 (keys written out) and keeps its entries', () => {
    const { storage, real } = storageOf(page());
    real.setItem(KEY, 'kca-memory 1\n3 unread\n1 once:k%0A1');
    const chat = memory({ storage });
    expect([chat.get('unread'), chat.get('once:k\n1'), chat.get('once:k1')]).toEqual([3, 1, undefined]);
  });

  it('does not depend on JSON: Prototype.js 1.6 toJSON methods and a broken JSON change nothing', async () => {
    const { storage } = storageOf(page());
    const saved = { stringify: JSON.stringify, parse: JSON.parse };
    const prototypes = [Array.prototype, String.prototype, Number.prototype] as unknown as Array<Record<string, unknown>>;
    // As Prototype.js 1.6 defines them (src/prototype/lang/array.js, string.js, number.js): toJSON returns JSON
    // text, which JSON.stringify then quotes again (https://github.com/prototypejs/prototype/issues/327).
    prototypes[0].toJSON = function (this: unknown[]) {
      return '[' + this.map((item) => saved.stringify(item)).join(', ') + ']';
    };
    prototypes[1].toJSON = function (this: string) {
      return '"' + this + '"';
    };
    prototypes[2].toJSON = function (this: number) {
      return Number.isFinite(this) ? this.toString() : 'null';
    };
    JSON.stringify = () => {
      throw new Error('JSON replaced by the page');
    };
    JSON.parse = () => {
      throw new Error('JSON replaced by the page');
    };
    const errors: string[] = [];
    try {
      const chat = memory({ storage, errors });
      chat.set('once:k1', 1);
      chat.set('rises:c1', 2);
      await endOfTask();
      const next = memory({ storage, errors });
      expect([next.get('once:k1'), next.get('rises:c1'), next.persistent]).toEqual([1, 2, true]);
      expect(errors).toEqual([]);
    } finally {
      Object.assign(JSON, saved);
      prototypes.forEach((prototype) => delete prototype.toJSON);
    }
  });

  it('keeps keys with line breaks and percent signs apart', async () => {
    const { storage } = storageOf(page());
    const keys = ['once:a\nb', 'once:a%0Ab', 'once:a\r\n9 x', 'once:%'];
    const chat = memory({ storage });
    keys.forEach((key, i) => chat.set(key, i + 1));
    await endOfTask();
    const next = memory({ storage });
    expect(keys.map((key) => next.get(key))).toEqual([1, 2, 3, 4]);
  });

  it('drops memory kept in an unknown format (the old JSON) with one message, and keeps working', async () => {
    const { storage, real } = storageOf(page());
    real.setItem(KEY, '[["once:k1",1]]');
    const errors: string[] = [];
    const chat = memory({ storage, errors });
    expect(chat.get('once:k1')).toBeUndefined();
    expect(chat.persistent).toBe(true);
    expect(errors).toEqual([expect.stringMatching(/unknown format/)]);
    chat.set('once:k2', 1);
    await endOfTask();
    expect(memory({ storage, errors }).get('once:k2')).toBe(1);
    expect(errors).toHaveLength(1);
  });
});

describe('createMemory() without working storage', () => {
  it('is not persistent with storage: false, and says nothing', async () => {
    const win = page();
    const errors: string[] = [];
    const chat = memory({ storage: false, window: win, errors });
    chat.set('unread', 2);
    await endOfTask();
    expect([chat.get('unread'), chat.persistent, win.sessionStorage.length, errors]).toEqual([2, false, 0, []]);
  });

  it('falls back to the page when sessionStorage is blocked, and says so once', async () => {
    const win = page();
    Object.defineProperty(win, 'sessionStorage', {
      get: () => {
        throw new DOMException('Access is denied for this document.', 'SecurityError');
      },
    });
    const errors: string[] = [];
    const chat = memory({ window: win, errors });
    for (let i = 0; i < 5; i++) chat.set('unread', i);
    await endOfTask();
    expect([chat.get('unread'), chat.persistent]).toEqual([4, false]);
    expect(errors).toEqual([expect.stringMatching(/blocked/)]);
  });

  it('is not persistent when storage is full, and says so once however many writes fail', async () => {
    const { storage } = storageOf(page(), { write: () => true });
    const errors: string[] = [];
    const chat = memory({ storage, errors });
    expect(chat.persistent).toBe(false);
    for (let i = 0; i < 5; i++) {
      chat.set(`once:k${i}`, 1);
      await endOfTask();
    }
    expect([chat.get('once:k4'), chat.persistent]).toEqual([1, false]);
    expect(errors).toEqual([expect.stringMatching(/full/)]);
  });

  it('turns not persistent when storage fills up during the visit', async () => {
    let full = false;
    const { storage } = storageOf(page(), { write: () => full });
    const errors: string[] = [];
    const chat = memory({ storage, errors });
    chat.set('once:k1', 1);
    await endOfTask();
    expect(chat.persistent).toBe(true);
    full = true;
    chat.set('once:k2', 1);
    await endOfTask();
    expect(chat.persistent).toBe(false);
    chat.set('once:k3', 1);
    await endOfTask();
    expect(errors).toEqual([expect.stringMatching(/full/)]);
  });

  it('never writes over storage it could not read, and says so once', async () => {
    const { storage, writes, real } = storageOf(page(), { read: true });
    real.setItem(KEY, 'kca-memory 1\n1 once:k0');
    const errors: string[] = [];
    const chat = memory({ storage, errors });
    chat.set('once:k1', 1);
    chat.get('once:k1');
    await endOfTask();
    expect([chat.get('once:k1'), chat.persistent, writes]).toEqual([1, false, []]);
    expect(real.getItem(KEY)).toBe('kca-memory 1\n1 once:k0');
    expect(errors).toEqual([expect.stringMatching(/unreadable/)]);
  });
});

describe('createMemory().watch() and the back/forward cache', () => {
  it('re-reads storage when the page is restored from the back/forward cache', async () => {
    const win = page();
    const { storage } = storageOf(win);
    const chat = memory({ storage, window: win });
    undos.push(chat.watch());
    chat.set('unread', 1);
    chat.set('once:k1', 1);
    win.dispatchEvent(new win.PageTransitionEvent('pagehide', { persisted: true }));
    // A newer page of the visit, while this one sat in the cache.
    const newer = memory({ storage });
    newer.set('unread', 5);
    newer.set('once:k2', 1);
    await endOfTask();

    win.dispatchEvent(new win.PageTransitionEvent('pageshow', { persisted: false }));
    expect(chat.get('unread')).toBe(1); // a normal load is not a restore: the copy stays
    win.dispatchEvent(new win.PageTransitionEvent('pageshow', { persisted: true }));
    expect([chat.get('unread'), chat.get('once:k1'), chat.get('once:k2')]).toEqual([5, 1, 1]);
    chat.set('unread', 6);
    await nextTimer(win);
    const after = memory({ storage });
    expect([after.get('unread'), after.get('once:k2')]).toEqual([6, 1]);
  });

  it('leaves no listener behind after its undo, and writes what is pending', async () => {
    const win = page();
    const { storage, writes } = storageOf(win);
    const listeners = new Map<string, number>();
    const add = win.addEventListener.bind(win);
    const remove = win.removeEventListener.bind(win);
    win.addEventListener = ((type: string, ...rest: [EventListener]) => {
      listeners.set(type, (listeners.get(type) ?? 0) + 1);
      add(type, ...rest);
    }) as typeof win.addEventListener;
    win.removeEventListener = ((type: string, ...rest: [EventListener]) => {
      listeners.set(type, (listeners.get(type) ?? 0) - 1);
      remove(type, ...rest);
    }) as typeof win.removeEventListener;
    const chat = memory({ storage, window: win });
    const undo = chat.watch();
    expect(Object.fromEntries(listeners)).toEqual({ pagehide: 1, pageshow: 1 });
    chat.set('unread', 1);
    undo();
    undo();
    expect(Object.fromEntries(listeners)).toEqual({ pagehide: 0, pageshow: 0 });
    expect(writes).toHaveLength(1);

    memory({ storage }).set('unread', 9);
    await endOfTask();
    win.dispatchEvent(new win.PageTransitionEvent('pageshow', { persisted: true }));
    expect(chat.get('unread')).toBe(1);
  });
});
