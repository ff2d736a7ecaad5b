import { availableParallelism } from 'node:os';
import type { HostLookup } from './fetch/crawler-agent.ts';
import type { FetchLimits } from './fetch/fetch-page.ts';

/** How the crawler behaves; main.ts builds it from the environment, tests and benchmarks from code. */
export interface CrawlSettings {
  userAgent: string;
  /** Requests in flight across all hosts. */
  globalConcurrency: number;
  fetchLimits: FetchLimits;
  connectTimeoutMs: number;
  /** Retries of a page after a network error, a 5xx or a 429 (so 1 + maxRetries attempts). */
  maxRetries: number;
  maxBackOffMs: number;
  /** Waits before re-asking an unreachable robots.txt; after the last, the host is skipped this run. */
  robotsRetryDelaysMs: readonly number[];
  maxSitemaps: number;
  /** See createCrawlerAgent: only for tests and the demo, whose sites live on 127.0.0.1. */
  allowPrivateNetworks: boolean;
  /** How host names are resolved; default the system resolver. Tests map names to any address. */
  lookupHost?: HostLookup;
  /**
   * Worker threads that decode and extract pages (page-reader-pool.ts); 0 extracts in the crawl's
   * own thread. Default: one per core beyond the first, at most 4 (beyond, fetching is the limit).
   */
  extractWorkers: number;
  /**
   * Every page is requested again (conditionally) at least this often, whatever its sitemap says:
   * a sitemap that stopped moving a page's lastmod must not keep an old copy forever.
   */
  revalidateAfterMs: number;
  /**
   * The longest robots.txt Crawl-delay honoured, in seconds: a site asking more is crawled at this
   * pace (a delay of minutes would take weeks for one site).
   */
  maxCrawlDelaySeconds: number;
  /**
   * How long one source's crawl may run in one run; past it the source stops at a clean point, is
   * reported incomplete (nothing of it is deleted) and the next run continues where it stopped.
   */
  sourceBudgetMs: number;
  /** Longest extraction of one page in a worker: past it the worker is replaced, the page failed. */
  extractTimeoutMs: number;
  /** Benchmarks only: ignore the sources' per-host concurrency and rate. */
  liftPoliteness?: boolean;
}

export function defaultCrawlSettings(userAgent: string): CrawlSettings {
  return {
    userAgent,
    globalConcurrency: 16,
    fetchLimits: {
      totalTimeoutMs: 30_000,
      maxBytes: 10 * 1024 * 1024,
      maxDecompressedBytes: 50 * 1024 * 1024,
      maxRedirects: 5,
    },
    connectTimeoutMs: 10_000,
    maxRetries: 2,
    maxBackOffMs: 120_000,
    robotsRetryDelaysMs: [2_000, 10_000],
    maxSitemaps: 50,
    allowPrivateNetworks: false,
    extractWorkers: Math.min(4, Math.max(1, availableParallelism() - 1)),
    revalidateAfterMs: 7 * DAY_MS,
    maxCrawlDelaySeconds: 30,
    sourceBudgetMs: 60 * 60_000,
    extractTimeoutMs: 30_000,
  };
}

const DAY_MS = 86_400_000;
