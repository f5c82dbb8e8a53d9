/**
 * Page-wide de-duplication: one delivery of an event per destination key, however many trackers (and copies of
 * this library) feed that destination. A stage of its own: it sees event ids and destination keys, nothing else.
 */

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

/** Records which event ids each destination key has had. */
export interface Dedupe {
  /** True the first time `destinationKey` is given `eventId`: one delivery per destination, however many trackers. */
  claim(destinationKey: string, eventId: string): boolean;
}

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
