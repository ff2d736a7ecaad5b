/**
 * An in-process cache in front of Meilisearch for the searches partner widgets repeat: a few queries
 * make most of the traffic, and answering them from memory costs far less than a Meilisearch call.
 *
 * - bounded: least recently used entries go first, past `maxEntries` or `maxBytes`;
 * - short-lived: an entry is served for `ttlMs` at most, so results are never much older than the index;
 * - coalescing: concurrent misses on one key share one call to the loader;
 * - failures are never kept: every caller waiting on a failed load gets its error, the next one retries;
 * - `invalidate()` forgets everything at once (when an indexing run has changed the index).
 *
 * Keys must identify both the request and the kind of value (e.g. `search:{…validated params…}`):
 * the cache hands back whatever was stored under a key.
 */
export interface SearchCacheOptions {
  /** Most entries kept; default 1,000. */
  maxEntries?: number;
  /** Most bytes kept, as measured by `sizeOf`; default 64 MiB. */
  maxBytes?: number;
  /** How long an entry is served; default 30 s. */
  ttlMs?: number;
  /** A monotonic clock in milliseconds; injected by tests. */
  now?: () => number;
  /** Approximate memory taken by a value; default: the length of its JSON. */
  sizeOf?: (value: unknown) => number;
}

export interface SearchCacheStats {
  /** Answered from memory. */
  hits: number;
  /** Loaded from Meilisearch. */
  misses: number;
  /** Joined a load already running for the same key. */
  coalesced: number;
  /** Dropped to stay within `maxEntries` / `maxBytes`. */
  evictions: number;
  entries: number;
  bytes: number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
  bytes: number;
}

export const DEFAULT_MAX_ENTRIES = 1_000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TTL_MS = 30_000;

export class SearchCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #sizeOf: (value: unknown) => number;
  /** A Map iterates in insertion order: re-inserting on each hit keeps the least recent first. */
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<unknown>>();
  /** Bumped by `invalidate()`: a load started before it must not store a possibly stale value. */
  #generation = 0;
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #coalesced = 0;
  #evictions = 0;

  constructor(options: SearchCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#sizeOf = options.sizeOf ?? ((value) => JSON.stringify(value)?.length ?? 0);
  }

  /** The value cached under `key`, else the one `load` gives (shared with concurrent callers). */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.expiresAt > this.#now()) {
        this.#entries.delete(key);
        this.#entries.set(key, entry);
        this.#hits++;
        return entry.value as T;
      }
      this.#remove(key, entry);
    }
    const running = this.#loading.get(key);
    if (running !== undefined) {
      this.#coalesced++;
      return (await running) as T;
    }

    this.#misses++;
    const generation = this.#generation;
    // Through an async function, so a loader that throws synchronously rejects like any other.
    const loading = (async () => await load())();
    this.#loading.set(key, loading);
    try {
      const value = await loading;
      if (generation === this.#generation) this.#store(key, value);
      return value;
    } finally {
      // After an invalidate() the key may already belong to a newer load: leave that one alone.
      if (this.#loading.get(key) === loading) this.#loading.delete(key);
    }
  }

  /** Forgets every entry; loads already running still answer their callers but are not kept. */
  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#loading.clear();
    this.#bytes = 0;
  }

  stats(): SearchCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      coalesced: this.#coalesced,
      evictions: this.#evictions,
      entries: this.#entries.size,
      bytes: this.#bytes,
    };
  }

  #store(key: string, value: unknown): void {
    const bytes = key.length + this.#sizeOf(value);
    // A value larger than the whole budget would only flush everything else out.
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs, bytes });
    this.#bytes += bytes;
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#remove(oldestKey, oldest);
      this.#evictions++;
    }
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }
}
