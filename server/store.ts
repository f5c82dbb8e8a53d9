/**
 * Where the handler remembers what it delivered (per destination and event id) and the visitor ids it read from a
 * conversation. Kustomer retries a failed delivery for about an hour (1, 1, 2, 5, 10, 15, 30 minutes:
 * https://developer.kustomer.com/docs/events/delivery-and-retries), so entries live longer than that.
 */
export interface DeliveryStore {
  /** The value stored under `key`, or `undefined` (never stored, or expired). */
  get(key: string): Promise<string | undefined> | string | undefined;
  /** Stores `value` under `key` for the store's time to live. */
  set(key: string, value: string): Promise<void> | void;
}

/** Two hours: longer than Kustomer's hour of retries, with room for a slow last attempt. */
export const DEFAULT_TTL_MS = 2 * 60 * 60 * 1000;

/** Options of `memoryStore()`. */
export interface MemoryStoreOptions {
  /** Entries kept at most; the least recently used goes first. Default 100,000 (a few MB). */
  maxEntries?: number;
  /** How long an entry lives, in milliseconds. Default two hours. */
  ttlMs?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * The default store: in this process's memory, bounded (least recently used first) and expiring. Enough for one
 * instance; behind a load balancer, use `redisStore()` so every instance sees what the others delivered.
 *
 * @example
 * createWebhookHandler({ secret, destinations, store: memoryStore({ maxEntries: 10_000 }) });
 */
export function memoryStore(options: MemoryStoreOptions = {}): DeliveryStore {
  const maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: deleting and re-inserting on use makes its first key the least recent.
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expires <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      entries.set(key, { value, expires: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

/** What `redisStore()` needs of a Redis client: node-redis v4's `get` and `set` with `{ PX }`. */
export interface RedisLike {
  /** `GET key`. */
  get(key: string): Promise<string | null | undefined>;
  /** `SET key value PX ms`. */
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
}

/** Options of `redisStore()`. */
export interface RedisStoreOptions {
  /** Prepended to every key. Default `'kustomer-chat-analytics:'`. */
  prefix?: string;
  /** How long an entry lives, in milliseconds (Redis `PX`). Default two hours. */
  ttlMs?: number;
}

/**
 * A store in Redis, shared by every instance of the handler: a retried webhook that reaches another instance is
 * still sent only to the destinations that failed. Takes a connected node-redis v4 client (`createClient()`).
 *
 * @example
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * createWebhookHandler({ secret, destinations, store: redisStore(client) });
 */
export function redisStore(client: RedisLike, options: RedisStoreOptions = {}): DeliveryStore {
  const prefix = options.prefix ?? 'kustomer-chat-analytics:';
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  return {
    async get(key) {
      return (await client.get(prefix + key)) ?? undefined;
    },
    async set(key, value) {
      await client.set(prefix + key, value, { PX: ttlMs });
    },
  };
}
