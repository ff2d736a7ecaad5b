/**
 * How many Meilisearch searches each client may cause: a token bucket per client, refilled
 * continuously at `perMinute` tokens a minute and holding at most `perMinute` (so a widget that has
 * been idle may send a burst of a minute's worth at once). A request costs the searches it needs
 * (see rate-limit.ts): a long question searched as several variants costs more than a word.
 */
export interface RateLimiterOptions {
  /** Tokens a client gets a minute; also the most it can hold. */
  perMinute: number;
  /** Milliseconds since the epoch; injected so that tests control time. */
  now?: () => number;
  /**
   * Clients remembered at most. Past it the least recently seen are forgotten, and come back with a
   * full bucket: memory stays bounded whatever the number of addresses a flood comes from.
   */
  maxClients?: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left after this request (0 when refused). */
  remaining: number;
  /** When refused: seconds until the request's cost is available again (at least 1). */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  readonly perMinute: number;
  readonly #now: () => number;
  readonly #maxClients: number;
  // A Map iterates in insertion order; a client is re-inserted on each request, so the first entries
  // are the least recently seen.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.perMinute = options.perMinute;
    this.#now = options.now ?? Date.now;
    this.#maxClients = options.maxClients ?? 100_000;
  }

  /** Takes `cost` tokens from `client`'s bucket if it has them; a refused request takes nothing. */
  take(client: string, cost = 1): RateDecision {
    const now = this.#now();
    // A request dearer than a full bucket would never pass: it costs a full bucket.
    const price = Math.min(Math.max(Number.isFinite(cost) ? cost : 1, 1), this.perMinute);
    const bucket = this.#refilled(this.#buckets.get(client), now);
    this.#buckets.delete(client);
    this.#buckets.set(client, bucket);
    this.#forgetOldest();
    if (bucket.tokens >= price) {
      bucket.tokens -= price;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const perSecond = this.perMinute / 60;
    const retryAfterSeconds = Math.max(1, Math.ceil((price - bucket.tokens) / perSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds };
  }

  /** Clients currently remembered (for tests of the memory bound). */
  get size(): number {
    return this.#buckets.size;
  }

  #refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (bucket === undefined) return { tokens: this.perMinute, updatedAt: now };
    const elapsedMinutes = Math.max(0, now - bucket.updatedAt) / 60_000;
    return {
      tokens: Math.min(this.perMinute, bucket.tokens + elapsedMinutes * this.perMinute),
      updatedAt: now,
    };
  }

  #forgetOldest(): void {
    for (const client of this.#buckets.keys()) {
      if (this.#buckets.size <= this.#maxClients) return;
      this.#buckets.delete(client);
    }
  }
}
