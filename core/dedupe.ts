/**
 * Page-wide de-duplication: one delivery of an event per destination key, however many trackers (and copies of
 * this library) feed that destination. A stage of its own: it sees event ids and destination keys, nothing else.
 */
import { hash53, isUniqueId } from './event';

/** An event id as a number: the 53-bit hash a deterministic id (`k<decimal>`) already is, else its hash. */
function idNumber(id: string): number {
  const n = id.charCodeAt(0) === 107 /* k */ ? Number(id.slice(1)) : NaN;
  // 0 marks an empty slot; NaN is what a non-numeric id reads as.
  return (n === n && n > 0 ? n : hash53(id)) || 1;
}

/** The last `max` keys: a ring of keys beside the Set evicts the oldest in constant time. */
function boundedSet(max: number) {
  const keys = new Set<string>();
  const ring: string[] = [];
  let next = 0;
  return {
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

/** An open-addressing table of numbers (8 bytes a slot), doubling while at most half full. */
function numberTable() {
  let slots = new Float64Array(1024);
  let size = 0;
  const indexOf = (key: number, table: Float64Array) => {
    const mask = table.length - 1;
    // `>>> 0` keeps the low 32 bits, which cyrb53 mixes well.
    let i = (key >>> 0) & mask;
    while (table[i] !== 0 && table[i] !== key) i = (i + 1) & mask;
    return i;
  };
  return {
    get size() {
      return size;
    },
    has: (key: number) => slots[indexOf(key, slots)] === key,
    add(key: number) {
      if (2 * (size + 1) > slots.length) {
        const grown = new Float64Array(slots.length * 2);
        for (const old of slots) if (old !== 0) grown[indexOf(old, grown)] = old;
        slots = grown;
      }
      const i = indexOf(key, slots);
      if (slots[i] === key) return;
      slots[i] = key;
      size++;
    },
  };
}

/**
 * The ids seen, kept compact: each deterministic id is a 53-bit number in a typed table, in two generations of `limit` ids.
 * When the newer generation is full it becomes the older one and the oldest generation is forgotten, so the set
 * always remembers at least the last `limit` ids and at most 2 × `limit`, at 16 to 32 bytes an id (a table is
 * between a quarter and half full), allocated as ids arrive. Two ids share a number with odds of about n² / 2⁵⁴ (5 in 10 million for 100,000 ids).
 */
export function idSet(limit: number) {
  const recentUnique = boundedSet(500);
  let newer = numberTable();
  let older: ReturnType<typeof numberTable> | undefined;
  return {
    /** Adds `id`; `false` when it was already there. */
    add(id: string): boolean {
      // An id made unique here comes again only as the same event offered twice at once (two trackers, one
      // destination): the last 500 are enough, so a long session of opens and closes costs no memory.
      if (isUniqueId(id)) return recentUnique.add(id);
      const key = idNumber(id);
      if (newer.has(key) || older?.has(key)) return false;
      if (newer.size >= limit) {
        older = newer;
        newer = numberTable();
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

/** Ids remembered per destination and by the source, at least: a long session's conversations and messages. */
export const REMEMBERED_IDS = 131072;

export function createDedupe(max = REMEMBERED_IDS): Dedupe {
  const claims = new Map<string, ReturnType<typeof idSet>>();
  return {
    claim(destinationKey, eventId) {
      let claimed = claims.get(destinationKey);
      if (!claimed) claims.set(destinationKey, (claimed = idSet(max)));
      return claimed.add(eventId);
    },
  };
}
