import { setTimeout as sleep } from 'node:timers/promises';

export interface HostGateOptions {
  /** Requests started per second on this host. */
  requestsPerSecond: number;
  /** robots.txt Crawl-delay, in seconds; the larger of the two spacings applies. */
  crawlDelaySeconds?: number | null;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * Spaces the starts of requests to one host: at most `requestsPerSecond` (or one per Crawl-delay),
 * and none before a Retry-After back-off has passed. Concurrency per host is the host crawler's own
 * limit; this gate is about rate. Turns are handed out in call order, so no request starves.
 */
export class HostGate {
  private nextStartAt = 0;
  private blockedUntil = 0;
  private readonly rateSpacingMs: number;
  private spacingMs: number;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<unknown>;

  constructor(options: HostGateOptions) {
    this.rateSpacingMs = options.requestsPerSecond > 0 ? 1000 / options.requestsPerSecond : 0;
    this.spacingMs = Math.max(this.rateSpacingMs, (options.crawlDelaySeconds ?? 0) * 1000);
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? sleep;
  }

  /** Resolves when this caller may start its request. */
  async turn(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (this.blockedUntil > now) {
        await this.wait(this.blockedUntil - now);
        continue;
      }
      const startAt = Math.max(now, this.nextStartAt);
      this.nextStartAt = startAt + this.spacingMs;
      if (startAt > now) await this.wait(startAt - now);
      // A back-off that arrived while we waited applies to us too.
      if (this.blockedUntil <= this.now()) return;
    }
  }

  /**
   * robots.txt was read after the first requests (robots.txt itself): its Crawl-delay applies from
   * the next turn on, the larger of it and the rate.
   */
  setCrawlDelay(seconds: number): void {
    const spacing = Math.max(this.rateSpacingMs, seconds * 1000);
    this.nextStartAt += spacing - this.spacingMs;
    this.spacingMs = spacing;
  }

  /** The host asked us to slow down (429/503 with Retry-After): nobody starts before `delayMs`. */
  backOff(delayMs: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + delayMs);
  }

  get minSpacingMs(): number {
    return this.spacingMs;
  }
}
