import { type Meilisearch, MeilisearchApiError } from 'meilisearch';
import { reviewStatus } from '../../core/source-curation.ts';
import type { Source } from '../../core/source.ts';
import type { AdminDependencies } from './admin-dependencies.ts';
import type { SourceStatus } from './admin-schemas.ts';
import { readLastCrawlReports } from './crawl-history.ts';

/**
 * Every source of the whitelist with what an admin checks first: whether it is crawled and how the
 * last crawl went (the reports), what it has in the index and the store, deletions held, failing
 * runs in a row and a suspension (the store), a crawl of it running now, and when the scheduler
 * crawls it next.
 */
export async function sourceStatuses(
  admin: AdminDependencies,
  search: { client: Meilisearch; indexUid: string },
  sources: readonly Source[],
): Promise<SourceStatus[]> {
  const [reports, indexed] = await Promise.all([
    readLastCrawlReports(admin.reportsDir),
    indexedCounts(search.client, search.indexUid),
  ]);
  const counts = admin.store.documents.countsBySource();
  const health = admin.store.health.all();
  const running = new Set([
    ...admin.recrawler
      .jobs()
      .filter((job) => job.status === 'running')
      .map((job) => job.sourceId),
    // Past one machine, the crawl workers' (store/crawl-leases.ts).
    ...admin.store.sourcesBeingCrawled(),
  ]);
  const writer = admin.store.writer()?.command ?? '';
  // A full `npm run crawl` crawls every source; `--source ID` some (crawl-main.ts names its lock so).
  const crawledByWriter = (id: string) =>
    /^npm run crawl/.test(writer) && (!writer.includes('--source') || writer.includes(`--source ${id}`));
  const now = admin.now();
  const nextCrawls = admin.schedule?.nextCrawls() ?? new Map<string, Date>();
  return sources.map((source) => {
    const report = reports.get(source.id);
    const sourceHealth = health.get(source.id);
    const count = counts.get(source.id);
    const suspended = sourceHealth?.suspendedAt
      ? { since: sourceHealth.suspendedAt, causes: sourceHealth.causes }
      : null;
    const failing = (sourceHealth?.consecutiveFailures ?? 0) > 0;
    const status: SourceStatus['status'] = !source.enabled
      ? 'disabled'
      : suspended
        ? 'suspended'
        : failing
          ? 'failing'
          : !report
            ? 'never-crawled'
            : report.result !== 'complete'
              ? 'attention'
              : 'ok';
    return {
      id: source.id,
      name: source.name,
      kind: source.kind,
      url: source.url,
      territory: source.territory,
      enabled: source.enabled,
      entry: { ...source },
      curation: source.curation ? { ...source.curation } : null,
      review: reviewStatus(source.curation, now),
      status,
      crawling: running.has(source.id) || (source.enabled && crawledByWriter(source.id)),
      lastCrawl: report
        ? {
            startedAt: report.startedAt,
            durationMs: report.durationMs,
            result: report.result,
            incomplete: report.incomplete,
            new: report.new,
            changed: report.changed,
            unchanged: report.unchanged,
            deleted: report.deleted,
            fetched: report.fetched,
            errors: report.errors,
            errorSamples: report.errorSamples,
          }
        : null,
      documents: {
        indexed: indexed[source.id] ?? 0,
        inStore: count?.live ?? 0,
        pending: count?.pending ?? 0,
        quarantined: count?.quarantined ?? 0,
      },
      heldDeletions: count?.heldDeletions ?? 0,
      failures: { consecutive: sourceHealth?.consecutiveFailures ?? 0, causes: sourceHealth?.causes ?? [] },
      suspended,
      nextCrawl: nextCrawls.get(source.id)?.toISOString() ?? null,
    };
  });
}

/** Documents per source in the index; none while the index does not exist or has no settings yet. */
async function indexedCounts(client: Meilisearch, indexUid: string): Promise<Record<string, number>> {
  try {
    const response = await client.index(indexUid).search('', { limit: 0, facets: ['source.id'] });
    return response.facetDistribution?.['source.id'] ?? {};
  } catch (error) {
    if (error instanceof MeilisearchApiError && error.cause?.code !== undefined) {
      if (['index_not_found', 'invalid_search_facets'].includes(error.cause.code)) return {};
    }
    throw error;
  }
}
