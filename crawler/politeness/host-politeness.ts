/**
 * The politeness a crawl owes each host, as the crawl uses it: one process's gates (host-gates.ts)
 * or the gates crawl workers share through Redis (redis-host-gates.ts).
 */
export interface HostGateLike {
  /** Resolves when this caller may start its request to the host. */
  turn(): Promise<void>;
  /** The host asked us to slow down (429/503 with Retry-After): nobody starts before `delayMs`. */
  backOff(delayMs: number): void;
}

export interface HostPoliteness {
  /** The gate of the URL's origin. */
  of(url: URL): HostGateLike;
  /** Resolves when a request to `url` may start. */
  turn(url: URL): Promise<void>;
  /** robots.txt asked for this Crawl-delay; returns the delay honoured (capped). */
  applyCrawlDelay(origin: URL, seconds: number | null | undefined): number;
  /**
   * Runs `request` holding one of the host's concurrency slots. In one process the host's crawl
   * pool is the limit and this holds nothing; workers share the slots, or each would use them all.
   */
  withSlot<T>(url: URL, request: () => Promise<T>): Promise<T>;
}
