/**
 * Page-wide de-duplication: one delivery of an event per destination key, however many trackers (and copies of
 * this library) feed that destination. A stage of its own: it sees event ids and destination keys, nothing else.
 */
import { hash53, isUniqueId } from './event';

/**
 * A set of the last `max` keys, for de-duplication: a ring of keys beside the Set evicts the oldest in
 * constant time, on the per-event path.
 */
export function boundedSet(max: number) {
  const keys = new Set<string>();
  const ring: string[] = [];
  let next = 0;
  return {
    /** Adds `key`; `false` when it was already there. */
    add(key: string): boolean {
      if (keys.has(key)) return false;
      if (ring.length === max) keys.delete(ring[next]);
      ring[next] = key;
      next = (next + 1) % max;
      keys.add(key);
      return true;
    },
  };
}

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
        for (const old of slots) if (old) put(bigger, old);
        slots = bigger;
      }
      if (put(slots, key || 1)) size++;
    },
  };
}

/**
 * The ids seen, kept compact: each deterministic id as its 53-bit hash in a table of doubles (hashTable: at most
 * 32 bytes an id, against about 85 for the id string in a Set), in two generations of `limit` ids. When the newer
 * generation is full it becomes the older one and the oldest is forgotten, so the set always remembers at least
 * the last `limit` ids and at most 2 × `limit`. Two ids share a number with odds of about n² / 2⁵⁴ (5 in 10
 * million for 100,000 ids).
 */
export function idSet(limit: number) {
  let newer = hashTable();
  let older = newer;
  return {
    /** Adds `id`; `false` when it was already there. */
    add(id: string): boolean {
      // An id made unique here never comes again: not kept, so a long session of opens and closes costs nothing.
      if (isUniqueId(id)) return true;
      // Hashing the id again costs less than parsing the decimal in it (measured in V8), and works for any id.
      const key = hash53(id);
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
  const claims = new Map<string, ReturnType<typeof boundedSet>>();
  return {
    claim(destinationKey, eventId) {
      let claimed = claims.get(destinationKey);
      if (!claimed) claims.set(destinationKey, (claimed = boundedSet(max)));
      return claimed.add(eventId);
    },
  };
}
