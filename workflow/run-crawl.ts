import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import type { CrawlSettings } from '../crawler/crawl-settings.ts';
import { crawlSources } from '../crawler/crawl-sources.ts';
import { failureOf } from '../crawler/source-failure.ts';
import { createIndexIfMissing } from '../indexer/index-settings.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import { refreshFreshness } from '../indexer/refresh-freshness.ts';
import { type SyncResult, syncIndex } from '../indexer/sync-index.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { SourceHealth } from '../store/source-health.ts';

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
  /**
   * A source whose crawl fails this many runs in a row is suspended: not crawled again until an
   * admin enables it (CRAWL_SUSPEND_AFTER_FAILURES; 0: never). Default 3.
   */
  suspendAfterFailures?: number;
  /** Each host's gates, shared with other crawls (crawl workers); by default the run's own. */
  politeness?: Parameters<typeof crawlSources>[0]['politeness'];
  /**
   * Runs each index sync in its turn among the processes crawling at once (crawl workers: the
   * store's inIndexSyncTurn); a lone crawl holds the one-writer lock, so by default it just runs.
   */
  inSyncTurn?: <T>(sync: () => Promise<T>) => Promise<T>;
}

/** Sources left out of the run because they are suspended, and those this run suspended. */
export interface RunCrawlSuspensions {
  skipped: SourceHealth[];
  suspended: SourceHealth[];
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
): Promise<{ reports: CrawlReport[]; indexing: RunCrawlIndexing; suspensions: RunCrawlSuspensions }> {
  const { client, indexUid, log, store } = options;
  const now = options.now ?? (() => new Date());
  // A suspended source's documents stay (and still index): only its crawl waits for an admin.
  const suspendedIds = store.health.suspendedIds();
  const skipped = options.sources
    .filter((source) => suspendedIds.has(source.id))
    .map((source) => store.health.of(source.id)!);
  const sources = options.sources.filter((source) => !suspendedIds.has(source.id));
  const indexSources = mergeSources(options.indexSources ?? [], options.sources);
  await createIndexIfMissing(client, indexUid, options.resources.settings);
  const quarantined = new Map<string, SyncResult['quarantined']>();
  let last: SyncResult | undefined;
  const inSyncTurn = options.inSyncTurn ?? (<T>(work: () => Promise<T>) => work());
  const sync = async () => {
    last = await inSyncTurn(() =>
      syncIndex({
        documents: store.documents,
        client,
        indexUid,
        sources: indexSources,
        resources: options.resources,
        log,
      }),
    );
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
    sources,
    territories: options.resources.territories,
    onHostCrawled: syncInTurn,
    onDocumentsStored: () => void syncInTurn(),
  });
  await syncing;
  await sync();
  const freshnessUpdates = await inSyncTurn(() =>
    refreshFreshness({ documents: store.documents, client, indexUid, log, now: now() }),
  );
  for (const report of reports) {
    report.quarantined = (quarantined.get(report.sourceId) ?? []).map(({ url, error }) => ({ url, error }));
  }
  log.info({ waiting: last?.waiting ?? 0, freshnessUpdates }, 'index up to date');
  return {
    reports,
    indexing: { waiting: last?.waiting ?? 0, freshnessUpdates },
    suspensions: {
      skipped,
      suspended: recordHealth(store, reports, now(), options.suspendAfterFailures ?? 3),
    },
  };
}

/** Counts each source's failing runs in a row; returns the sources this run suspended. */
function recordHealth(
  store: CrawlStore,
  reports: readonly CrawlReport[],
  at: Date,
  suspendAfter: number,
): SourceHealth[] {
  const suspended: SourceHealth[] = [];
  for (const report of reports) {
    const failure = failureOf(report);
    const wasSuspended = store.health.of(report.sourceId)?.suspendedAt != null;
    const health = store.health.recordRun(report.sourceId, failure, at.toISOString(), suspendAfter);
    if (health.suspendedAt !== null && !wasSuspended) suspended.push(health);
  }
  return suspended;
}

/** The sources crawled win over the whitelist's entry of the same id (a file of one's own). */
function mergeSources(whitelist: readonly Source[], crawled: readonly Source[]): Source[] {
  const crawledIds = new Set(crawled.map((source) => source.id));
  return [...crawled, ...whitelist.filter((source) => !crawledIds.has(source.id))];
}
