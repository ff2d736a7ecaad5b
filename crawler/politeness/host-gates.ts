import { HostGate } from './host-gate.ts';
import type { HostPoliteness } from './host-politeness.ts';

export interface HostGatesOptions {
  /** Request starts per second for an origin (its sources' setting); 0: no rate limit. */
  requestsPerSecond: (origin: string) => number;
  /** The longest Crawl-delay honoured, in seconds: a site asking more is crawled at this pace. */
  maxCrawlDelaySeconds: number;
  now?: () => number;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * One rate gate per origin, shared by every request made to it, whatever it is for: robots.txt,
 * sitemaps, pages, redirect hops, retries. A request waits its host's turn; nothing else does.
 */
export class HostGates implements HostPoliteness {
  private readonly gates = new Map<string, HostGate>();

  constructor(private readonly options: HostGatesOptions) {}

  /** The gate of the URL's origin. */
  of(url: URL): HostGate {
    let gate = this.gates.get(url.origin);
    if (!gate) {
      gate = new HostGate({
        requestsPerSecond: this.options.requestsPerSecond(url.origin),
        ...(this.options.now ? { now: this.options.now } : {}),
        ...(this.options.wait ? { wait: this.options.wait } : {}),
      });
      this.gates.set(url.origin, gate);
    }
    return gate;
  }

  /** Resolves when a request to `url` may start. */
  turn(url: URL): Promise<void> {
    return this.of(url).turn();
  }

  /** robots.txt asked for this Crawl-delay; returns the delay honoured (capped). */
  applyCrawlDelay(origin: URL, seconds: number | null | undefined): number {
    const honoured = Math.min(seconds ?? 0, this.options.maxCrawlDelaySeconds);
    this.of(origin).setCrawlDelay(honoured);
    return honoured;
  }

  /** One process: the host's crawl pool already bounds its requests in flight. */
  withSlot<T>(_url: URL, request: () => Promise<T>): Promise<T> {
    return request();
  }
}
