import { Counter, Gauge, type Registry } from 'prom-client';
import type { AppDependencies } from '../app-dependencies.ts';
import { registerCrawlReportMetrics } from './crawl-report-metrics.ts';
import { registerSearchHostMetrics } from './search-host-metrics.ts';

/** Longest a scrape waits for the index's stats; past it the index's series are left out of that scrape. */
const INDEX_STATS_TIMEOUT_MS = 1_000;

/**
 * What /metrics reads when it is scraped, read-only and cheap: the search cache's counts, the search
 * hosts' requests and failures, the index's size, what waits in the store, the recrawls running,
 * each source's last crawl. Read at scrape time rather than kept up to date: the crawls that change
 * them run in other processes.
 */
export function registerScrapeMetrics(registry: Registry, deps: AppDependencies): void {
  const registers = [registry];
  const { cache, admin } = deps;
  if (cache?.stats) {
    const stats = () => cache.stats!();
    new Counter({
      name: 'pas_search_cache_requests_total',
      help: 'Searches asked of the cache: hit (answered from memory), miss (Meilisearch searched), coalesced (joined a search already running).',
      labelNames: ['result'],
      registers,
      collect() {
        // The cache keeps its own counts (search-cache.ts): copied, not counted twice.
        const { hits, misses, coalesced } = stats();
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
        this.inc({ result: 'coalesced' }, coalesced);
      },
    });
  }

  // The API's own client holds a search-only key, which may not read the index's stats: the admin's
  // (the master key's) does. Without the admin side, the API's (a Meilisearch without keys).
  const statsClient = admin?.indexClient ?? deps.client;
  const readIndexStats = async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('index stats timed out')), INDEX_STATS_TIMEOUT_MS);
    });
    try {
      return await Promise.race([statsClient.index(deps.indexUid).getStats(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  // The index's gauges are collected together: one stats request a scrape, shared while it runs.
  let reading: Promise<IndexStats> | undefined;
  const indexStats = () => (reading ??= readIndexStats().finally(() => (reading = undefined)));
  const indexGauge = (name: string, help: string, value: (stats: IndexStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.reset();
        try {
          this.set(value(await indexStats()));
        } catch (error) {
          // No value rather than a failed scrape: the other series still tell, and the gap shows.
          deps.log.warn({ err: error }, 'could not read the index stats for /metrics');
        }
      },
    });
  indexGauge(
    'pas_index_documents',
    'Documents in the Meilisearch index.',
    (stats) => stats.numberOfDocuments,
  );
  indexGauge(
    'pas_index_raw_document_bytes',
    "Size of the index's documents as Meilisearch stores them (rawDocumentDbSize), search structures apart.",
    (stats) => stats.rawDocumentDbSize,
  );
  indexGauge(
    'pas_index_indexing',
    '1 while Meilisearch is indexing (a task of the index is being processed), else 0.',
    (stats) => (stats.isIndexing ? 1 : 0),
  );

  if (deps.searchHosts) registerSearchHostMetrics(registry, deps.searchHosts);

  if (admin) {
    const { store, recrawler } = admin;
    const backlogGauge = (name: string, help: string, value: (backlog: Backlog) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value(store.documents.backlog()));
        },
      });
    backlogGauge(
      'pas_store_pending_documents',
      'Documents written by the crawl that Meilisearch has not confirmed yet (to add, replace or delete).',
      (backlog) => backlog.pending,
    );
    backlogGauge(
      'pas_store_held_deletions',
      'Deletions a crawl held for review (a source lost too much at once): npm run crawl -- --confirm-deletions.',
      (backlog) => backlog.heldDeletions,
    );
    backlogGauge(
      'pas_store_quarantined_documents',
      'Documents Meilisearch refused, set aside until they change.',
      (backlog) => backlog.quarantined,
    );
    new Gauge({
      name: 'pas_recrawl_jobs_running',
      help: 'Recrawls an admin asked for that are running now (each a crawl process of its own).',
      registers,
      collect() {
        this.set(recrawler.jobs().filter((job) => job.status === 'running').length);
      },
    });
    registerCrawlReportMetrics(registry, admin.reportsDir);
    const queue = admin.crawlQueue;
    if (queue) {
      new Gauge({
        name: 'pas_crawl_queue_jobs',
        help: 'Crawl jobs (one per source) in the workers’ queue: waiting (retries included) or active.',
        labelNames: ['state'],
        registers,
        async collect() {
          // Redis out of reach: the series are left out of this scrape, the rest still answers.
          this.reset();
          const depth = await queue.depth().catch(() => undefined);
          if (!depth) return;
          this.set({ state: 'waiting' }, depth.waiting);
          this.set({ state: 'active' }, depth.active);
        },
      });
    }
  }
}

type IndexStats = Awaited<ReturnType<ReturnType<AppDependencies['client']['index']>['getStats']>>;
type Backlog = ReturnType<NonNullable<AppDependencies['admin']>['store']['documents']['backlog']>;
