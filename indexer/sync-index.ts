import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl, type SearchDocument } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { CrawlStore, PendingDocument } from '../crawler/state/crawl-store.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import type { IndexerResources } from './indexer-resources.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';
import { toSearchDocument } from './to-search-document.ts';

export interface SyncOptions {
  store: CrawlStore;
  client: Meilisearch;
  indexUid: string;
  sources: readonly Source[];
  resources: IndexerResources;
  log: Logger;
  batchSize?: number;
  retry?: RetryPolicy;
  now?: () => Date;
}

export interface SyncResult {
  upserted: number;
  deleted: number;
}

/**
 * Sends the store's pending changes to Meilisearch, batch by batch, and marks a batch indexed only
 * after its tasks succeeded. If Meilisearch goes away, the batch is retried with backoff; if the
 * process dies, the next sync sends what is still pending. Nothing is lost either way.
 */
export async function syncIndex(options: SyncOptions): Promise<SyncResult> {
  const { store, client, indexUid, log } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const toDocument = documentBuilder(options);
  const result: SyncResult = { upserted: 0, deleted: 0 };
  for (;;) {
    const batch = store.pendingDocuments(batchSize);
    if (batch.length === 0) return result;
    const upserts = batch.flatMap((pending) => toDocument(pending));
    const upsertedUrls = new Set(upserts.map((document) => document.url));
    const deletions = batch
      .filter((pending) => !upsertedUrls.has(pending.url))
      .map((pending) => documentIdForUrl(pending.url));
    await withMeiliRetry(
      async () => {
        const index = client.index(indexUid);
        if (upserts.length > 0) await awaitTask(client, index.addDocuments(upserts, { primaryKey: 'id' }));
        if (deletions.length > 0) await awaitTask(client, index.deleteDocuments(deletions));
      },
      options.retry ?? DEFAULT_RETRY_POLICY,
      log,
    );
    store.markIndexed(batch.map((pending) => pending.url));
    result.upserted += upserts.length;
    result.deleted += deletions.length;
    log.debug({ upserted: upserts.length, deleted: deletions.length }, 'index batch confirmed');
  }
}

/** The document for a pending change; none when it is a deletion or its source is no longer listed. */
export function documentBuilder(options: Pick<SyncOptions, 'sources' | 'resources' | 'now'>) {
  const sourcesById = new Map(
    options.sources.filter((source) => source.enabled).map((source) => [source.id, source]),
  );
  const now = options.now?.() ?? new Date();
  return (pending: Pick<PendingDocument, 'page' | 'sourceId'>): SearchDocument[] => {
    const source = sourcesById.get(pending.sourceId);
    const territory = source && options.resources.territories.resolve(source.territory);
    if (!pending.page || !source || !territory) return [];
    return [toSearchDocument(pending.page, { source, territory, taxonomy: options.resources.taxonomy, now })];
  };
}
