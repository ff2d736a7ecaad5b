import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds: from a cached answer (well under 5 ms) to the API's 3 s Meilisearch timeout and past it. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Methods named in labels; anything else (a scanner's PROPFIND) is `other`, one series for all. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The API's Prometheus metrics, in a registry of its own (one per app, never prom-client's global
 * one: two apps in one process, as in tests, would count into each other). What the API records as
 * it serves lives here; what is read at scrape time (the index, the store, the crawl reports) is
 * registered beside it by scrape-metrics.ts.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;
  readonly #search: Histogram;
  readonly #rateLimited: Counter<'counted_by'>;

  constructor() {
    const registers = [this.registry];
    // The process's own: CPU, memory, heap, event loop lag, open handles.
    collectDefaultMetrics({ register: this.registry });
    this.#requests = new Counter({
      name: 'pas_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'pas_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (until its response starts), by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#search = new Histogram({
      name: 'pas_search_duration_seconds',
      help: 'Time Meilisearch took for a search the cache did not answer (all the searches of one request).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'pas_rate_limited_requests_total',
      help: "Requests refused with 429, by what they were counted by: a partner's key or the client's address.",
      labelNames: ['counted_by'],
      registers,
    });
  }

  /** One answered request; `route` is its pattern (route-of.ts), never its path. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'other',
      route: request.route,
      status: String(request.status),
    };
    this.#requests.inc(labels);
    this.#duration.observe(labels, request.seconds);
  }

  /** One request refused by the rate limit (rate-limit.ts counts a partner's visitors by its key). */
  rateLimited(countedBy: 'partner_key' | 'address'): void {
    this.#rateLimited.inc({ counted_by: countedBy });
  }

  /** Runs a search and records how long it took, failed or not. */
  async timeSearch<T>(search: () => Promise<T>): Promise<T> {
    const stop = this.#search.startTimer();
    try {
      return await search();
    } finally {
      stop();
    }
  }

  /** The text exposition format, with its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
