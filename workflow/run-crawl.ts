import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import type { CrawlSettings } from '../crawler/crawl-settings.ts';
import { crawlSources } from '../crawler/crawl-sources.ts';
import { createIndexIfMissing } from '../indexer/index-settings.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import { refreshFreshness } from '../indexer/refresh-freshness.ts';
import { type SyncResult, syncIndex } from '../indexer/sync-index.ts';
import type { CrawlStore } from '../store/crawl-store.ts';

export interface RunCrawlOptions {
  /** The sources to crawl. */
  sources: readonly Source[];
  /**
   * Every source whose documents may be indexed: the whitelist, and the sources crawled. Pending
   * documents of any other source wait in the store; they are never deleted for not being here.
   * Default: `sources`.
   */
  indexSources?: readonly Source[];
  store: CrawlStore;
  client: Meilisearch;
  indexUid: string;
  settings: CrawlSettings;
  resources: IndexerResources;
  log: Logger;
  now?: () => Date;
  /** How the crawl waits (politeness): tests record it. */
  wait?: (ms: number) => Promise<unknown>;
  onProgress?: Parameters<typeof crawlSources>[0]['onProgress'];
}

/** What a crawl run did to the index, beyond each source's crawl report. */
export interface RunCrawlIndexing {
  /** Pending documents left waiting: their source is neither crawled nor in the whitelist. */
  waiting: number;
  freshnessUpdates: number;
}

/**
 * `npm run crawl` minus argv/env: crawls the sources into the store and keeps the index up to date
 * as it goes. Each host's new and changed documents are indexed as soon as its crawl ends, so a
 * slow host does not hold the others' changes; deletions, decided at the end of the run (a page
 * may be kept by another host's link), go in with the last sync. Syncs never overlap.
 */
export async function runCrawl(
  options: RunCrawlOptions,
): Promise<{ reports: CrawlReport[]; indexing: RunCrawlIndexing }> {
  const { client, indexUid, log, store } = options;
  const indexSources = mergeSources(options.indexSources ?? [], options.sources);
  await createIndexIfMissing(client, indexUid, options.resources.settings);
  const quarantined = new Map<string, SyncResult['quarantined']>();
  let last: SyncResult | undefined;
  const sync = async () => {
    last = await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources: indexSources,
      resources: options.resources,
      log,
    });
    for (const document of last.quarantined) {
      quarantined.set(document.sourceId, [...(quarantined.get(document.sourceId) ?? []), document]);
    }
  };
  let syncing: Promise<void> = Promise.resolve();
  const syncInTurn = () => {
    syncing = syncing.then(sync).catch((error: unknown) => {
      // The sync at the end sends whatever this one could not.
      log.warn({ err: error }, 'indexing a finished host failed; the end of the run tries again');
    });
    return syncing;
  };

  const reports = await crawlSources({
    ...options,
    territories: options.resources.territories,
    onHostCrawled: syncInTurn,
    onDocumentsStored: () => void syncInTurn(),
  });
  await syncing;
  await sync();
  const freshnessUpdates = await refreshFreshness({
    documents: store.documents,
    client,
    indexUid,
    log,
    now: (options.now ?? (() => new Date()))(),
  });
  for (const report of reports) {
    report.quarantined = (quarantined.get(report.sourceId) ?? []).map(({ url, error }) => ({ url, error }));
  }
  log.info({ waiting: last?.waiting ?? 0, freshnessUpdates }, 'index up to date');
  return { reports, indexing: { waiting: last?.waiting ?? 0, freshnessUpdates } };
}

/** The sources crawled win over the whitelist's entry of the same id (a file of one's own). */
function mergeSources(whitelist: readonly Source[], crawled: readonly Source[]): Source[] {
  const crawledIds = new Set(crawled.map((source) => source.id));
  return [...crawled, ...whitelist.filter((source) => !crawledIds.has(source.id))];
}
