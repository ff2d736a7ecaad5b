import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import { refreshFreshness } from '../indexer/refresh-freshness.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import type { CrawlSettings } from '../crawler/crawl-settings.ts';
import { crawlSources } from '../crawler/crawl-sources.ts';
import type { CrawlStore } from '../store/crawl-store.ts';

export interface RunCrawlOptions {
  sources: readonly Source[];
  store: CrawlStore;
  client: Meilisearch;
  indexUid: string;
  settings: CrawlSettings;
  resources: IndexerResources;
  log: Logger;
  now?: () => Date;
  onProgress?: Parameters<typeof crawlSources>[0]['onProgress'];
}

/** Crawls the sources into the store, then brings the index up to date: `npm run crawl` minus argv/env. */
export async function runCrawl(options: RunCrawlOptions): Promise<CrawlReport[]> {
  const { client, indexUid, log, store } = options;
  await ensureIndex(client, indexUid, options.resources.settings);
  const reports = await crawlSources(options);
  const synced = await syncIndex({
    documents: store.documents,
    client,
    indexUid,
    sources: options.sources,
    resources: options.resources,
    log,
  });
  const refreshed = await refreshFreshness({
    documents: store.documents,
    client,
    indexUid,
    log,
    now: (options.now ?? (() => new Date()))(),
  });
  log.info({ ...synced, freshnessUpdates: refreshed }, 'index up to date');
  return reports;
}
