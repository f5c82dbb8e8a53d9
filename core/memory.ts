import { attempt } from './safe';

/** A small bounded key-value memory kept in sessionStorage, so counts hold across the pages of a visit. */
export interface ChatMemory {
  get(key: string): number | undefined;
  set(key: string, value: number): void;
  /** False while what is set is not kept across pages (no storage, or it fails). */
  readonly persistent?: boolean;
}

export interface MemoryOptions {
  /** `false` keeps memory for this page only. Default: the window's sessionStorage. */
  storage?: Storage | false;
  window?: Window;
  storageKey?: string;
  /** Entries kept at most; the oldest go first. */
  max?: number;
  onError?: (error: unknown) => void;
}

function sessionStorageOf(win: Window | undefined): Storage | undefined {
  // Reading window.sessionStorage itself throws when storage is blocked (sandboxed iframes, some privacy modes).
  return attempt(() => win?.sessionStorage);
}

export function createMemory(options: MemoryOptions = {}): ChatMemory {
  const { storageKey = 'kustomer-chat-analytics', max = 200, onError } = options;
  const storage = options.storage === false ? undefined : options.storage ?? sessionStorageOf(options.window);
  let entries: Map<string, number> | undefined;

  const load = (): Map<string, number> => {
    if (entries) return entries;
    entries = new Map();
    const saved = storage && attempt(() => JSON.parse(storage.getItem(storageKey) || '[]'), onError);
    if (Array.isArray(saved)) {
      for (const pair of saved) {
        if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'number') entries.set(pair[0], pair[1]);
      }
    }
    return entries;
  };

  return {
    get: (key) => load().get(key),
    set(key, value) {
      const map = load();
      map.delete(key);
      map.set(key, value);
      for (const oldest of map.keys()) {
        if (map.size <= max) break;
        map.delete(oldest);
      }
      // When storage is full or blocked this throws: memory still holds for this page.
      if (storage) attempt(() => storage.setItem(storageKey, JSON.stringify([...map])), onError);
    },
  };
}
