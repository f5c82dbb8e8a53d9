/**
 * Page-wide de-duplication: one delivery of an event per destination key, however many trackers (and copies of
 * this library) feed that destination. A stage of its own: it sees event ids and destination keys, nothing else.
 */
import { hash53, isUniqueId } from './event';

/**
 * A set of 53-bit hashes in a Float64Array, open addressing with linear probing: no allocation per key (a hash
 * above 2³¹ would be a heap number in a Set) and 16 bytes a slot, at most half of them used. Grows by doubling.
 */
function hashTable() {
  let slots = new Float64Array(64);
  let size = 0;
  // Slot 0.0 means empty; a hash of 0 (odds 2⁻⁵³) is stored as 1.
  const slotOf = (table: Float64Array, key: number) => {
    const mask = table.length - 1;
    let i = key & mask;
    while (table[i] !== 0 && table[i] !== key) i = (i + 1) & mask;
    return i;
  };
  const put = (table: Float64Array, key: number) => {
    const i = slotOf(table, key);
    if (table[i] === key) return false;
    table[i] = key;
    return true;
  };
  return {
    size: () => size,
    has: (key: number) => slots[slotOf(slots, key || 1)] === (key || 1),
    add(key: number) {
      if (size * 2 >= slots.length) {
        const bigger = new Float64Array(slots.length * 2);
        slots.forEach((old) => old && put(bigger, old));
        slots = bigger;
      }
      if (put(slots, key || 1)) size++;
    },
  };
}

// The source hashes an event's id, then each destination's claim hashes the same id: the last one is kept.
let lastText: string | undefined;
let lastHash = 0;
const hashOf = (text: string) => (text === lastText ? lastHash : ((lastText = text), (lastHash = hash53(text))));

/**
 * The strings seen, kept compact: each as its 53-bit hash in a table of doubles (hashTable: at most 32 bytes a
 * string, against about 85 for an id string in a Set, and several times faster in V8), in two generations of
 * `limit`. When the newer generation is full it becomes the older one and the oldest is forgotten, so the set
 * always remembers at least the last `limit` strings and at most 2 × `limit`. Two strings share a number with
 * odds of about n² / 2⁵⁴ (5 in 10 million for 100,000 ids).
 */
export function recentSet(limit: number) {
  let newer = hashTable();
  let older = newer;
  return {
    /** Adds `text`; `false` when it was already there. */
    add(text: string): boolean {
      const key = hashOf(text);
      if (newer.has(key) || older.has(key)) return false;
      if (newer.size() >= limit) {
        older = newer;
        newer = hashTable();
      }
      newer.add(key);
      return true;
    },
  };
}

/** The event ids seen: recentSet, without the ids made unique here, which never come again. */
export function idSet(limit: number) {
  const seen = recentSet(limit);
  // Not kept, so a long session of opens and closes costs nothing.
  return { add: (id: string) => isUniqueId(id) || seen.add(id) };
}

/** Records which event ids each destination key has had. */
export interface Dedupe {
  /** True the first time `destinationKey` is given `eventId`: one delivery per destination, however many trackers. */
  claim(destinationKey: string, eventId: string): boolean;
}

/** Ids the source remembers at least: a long session's conversations and messages (Kustomer replays them). */
export const REMEMBERED_IDS = 131072;

/**
 * The source drops what Kustomer replays (idSet): what reaches a destination twice is one event offered by two
 * trackers at once, or a site's `emit` with an id it used before, so the last 500 ids are enough here.
 */
export function createDedupe(max = 500): Dedupe {
  const claims = new Map<string, ReturnType<typeof recentSet>>();
  return {
    claim(destinationKey, eventId) {
      let claimed = claims.get(destinationKey);
      if (!claimed) claims.set(destinationKey, (claimed = recentSet(max)));
      return claimed.add(eventId);
    },
  };
}
