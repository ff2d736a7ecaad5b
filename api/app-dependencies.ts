import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { ReplicaHostStatus } from '../meili/meili-replicas.ts';
import type { Source } from '../core/source.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import type { AdminDependencies } from './admin/admin-dependencies.ts';
import type { BrowserAssets } from './browser-assets.ts';
import type { PartnerDirectory } from './partner-directory.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { SemanticSearch } from './semantic-search.ts';

/** A cache in front of Meilisearch for repeated searches (see search-cache.ts). */
export interface SearchResultCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** Answers given so far, for /metrics' hit rate (search-cache.ts counts them). */
  stats?(): { hits: number; misses: number; coalesced: number };
}

/**
 * The Meilisearch hosts `client` spreads its requests over (MEILI_SEARCH_URLS), in that order:
 * /readyz checks each, /metrics counts what each was asked and failed.
 */
export interface SearchHosts {
  /** Each host alone (no failover), with the key and timeout requests are served with. */
  hosts: readonly { url: string; client: Meilisearch }[];
  status(): readonly ReplicaHostStatus[];
}

/** Everything the API needs, built by main.ts (or a test) and passed in: no hidden globals. */
export interface AppDependencies {
  client: Meilisearch;
  /** Several hosts behind `client` (MEILI_SEARCH_URLS); absent: one, `client`'s. */
  searchHosts?: SearchHosts;
  indexUid: string;
  sources: readonly Source[];
  resources: Pick<IndexerResources, 'taxonomy' | 'territories'>;
  log: Logger;
  cache?: SearchResultCache;
  /** When each source was last crawled (from the crawl reports), for /v1/sources. */
  lastCrawls?: () => Promise<ReadonlyMap<string, string>>;
  /** Query preparation shared with the relevance evaluation (stemming, see query-text.ts). */
  prepareQuery?: (q: string) => string;
  /** Semantic search (the index has an embedder, MEILI_EMBEDDER). Absent: keyword search only. */
  semantic?: SemanticSearch;
  /** Searches each client may cause (rate-limit.ts); none: no limit (tests, the eval). */
  rateLimiter?: RateLimiter;
  /**
   * Where the API is reached from outside (PUBLIC_URL), for the links it gives to its own pages (a
   * project's); unset: the request's own origin.
   */
  publicUrl?: string;
  /** The API sits behind a reverse proxy that appends the client's address to X-Forwarded-For. */
  trustProxy?: boolean;
  /** The admin API and page (/v1/admin, /admin), best bets and query insights; absent: none of them. */
  admin?: AdminDependencies;
  /** The partners of partners.yaml, by key; none: a request with a key is refused. */
  partners?: PartnerDirectory;
  /** The search page's and the widget's scripts and styles, bundled (browser-assets.ts). */
  assets?: BrowserAssets;
  /**
   * The bearer token Prometheus scrapes /metrics with (METRICS_TOKEN; admin tokens are accepted too).
   * Absent: no /metrics at all (404), and nothing is measured.
   */
  metricsToken?: string;
}
