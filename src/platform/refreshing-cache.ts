// A cache for what every request reads and what changes rarely — who a token signs in, what a
// role may do. An entry is served for at most `ttlMs` after the lookup that made it, as before;
// what this adds is that requests do not all pay for its expiry:
// - concurrent misses of one key share one lookup (16 requests in flight when a sign-in expired
//   made 16 lookups, each a transaction on the write pool);
// - an entry still in use is looked up again in the background once it is `refreshAfterMs` old,
//   so under steady traffic it is replaced before it expires and no request waits.
// Forgetting entries (a revoked key, a changed role) also discards the lookups in flight, so one
// that began before the change can never put the old answer back.
import { LRUCache } from 'lru-cache';

export interface Loaded<V> {
  value: V;
  /** A shorter life than the cache's, e.g. a session that ends sooner. */
  ttlMs?: number;
}

export interface RefreshingCacheOptions {
  max: number;
  ttlMs: number;
  refreshAfterMs: number;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
}

export interface RefreshingCache<V> {
  /** The cached value, or what `load` gives (nothing is cached when it gives undefined). */
  get(key: string, load: () => Promise<Loaded<V> | undefined>): Promise<V | undefined>;
  delete(key: string): void;
  deleteWhere(matches: (value: V) => boolean): void;
  clear(): void;
}

interface Entry<V> {
  value: V;
  loadedAt: number;
  expiresAt: number;
}

export function createRefreshingCache<V extends object>({ max, ttlMs, refreshAfterMs, now = () => performance.now() }: RefreshingCacheOptions): RefreshingCache<V> {
  const entries = new LRUCache<string, Entry<V>>({ max });
  const pending = new Map<string, Promise<V | undefined>>();
  // Bumped by every forget: a lookup that began in an earlier generation does not store its answer.
  let generation = 0;

  function lookUp(key: string, load: () => Promise<Loaded<V> | undefined>): Promise<V | undefined> {
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const startedIn = generation;
    const lookup = load().then((loaded) => {
      if (startedIn === generation) {
        const life = Math.min(loaded?.ttlMs ?? ttlMs, ttlMs);
        const loadedAt = now();
        if (loaded && life > 0) entries.set(key, { value: loaded.value, loadedAt, expiresAt: loadedAt + life });
        else entries.delete(key);
      }
      return loaded?.value;
    }).finally(() => {
      if (pending.get(key) === lookup) pending.delete(key);
    });
    pending.set(key, lookup);
    return lookup;
  }

  function forget() {
    generation++;
    pending.clear();
  }

  return {
    async get(key, load) {
      const entry = entries.get(key);
      const at = now();
      if (!entry || at >= entry.expiresAt) return lookUp(key, load);
      if (at - entry.loadedAt >= refreshAfterMs && !pending.has(key)) {
        // Answered from the entry; a failed refresh leaves it to expire, and the next request
        // after that looks up (and fails) itself.
        lookUp(key, load).catch(() => undefined);
      }
      return entry.value;
    },
    delete(key) {
      forget();
      entries.delete(key);
    },
    deleteWhere(matches) {
      forget();
      const stale = [...entries.entries()].filter(([, entry]) => matches(entry.value)).map(([key]) => key);
      for (const key of stale) entries.delete(key);
    },
    clear() {
      forget();
      entries.clear();
    },
  };
}
