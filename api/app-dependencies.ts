import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';

/** A cache in front of Meilisearch for repeated searches (see search-cache.ts). */
export interface SearchResultCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** Everything the API needs, built by main.ts (or a test) and passed in: no hidden globals. */
export interface AppDependencies {
  client: Meilisearch;
  indexUid: string;
  sources: readonly Source[];
  resources: Pick<IndexerResources, 'taxonomy' | 'territories'>;
  log: Logger;
  cache?: SearchResultCache;
  /** When each source was last crawled (from the crawl reports), for /v1/sources. */
  lastCrawls?: () => Promise<ReadonlyMap<string, string>>;
  /** Query preparation shared with the relevance evaluation (stemming, see query-text.ts). */
  prepareQuery?: (q: string) => string;
}
