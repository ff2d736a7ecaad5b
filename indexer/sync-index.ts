import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { CrawlStore } from '../crawler/state/crawl-store.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import { awaitTask } from './meili-task.ts';
import { toSearchDocument } from './to-search-document.ts';

export interface SyncResult {
  upserted: number;
  deleted: number;
}

/**
 * Sends the store's pending changes to Meilisearch, batch by batch, and marks each batch indexed only
 * after its tasks succeeded: if Meilisearch fails or the process dies, the next sync sends them again.
 */
export async function syncIndex(options: {
  store: CrawlStore;
  client: Meilisearch;
  indexUid: string;
  sources: readonly Source[];
  log: Logger;
  batchSize?: number;
}): Promise<SyncResult> {
  const { store, client, indexUid, log } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const sourcesById = new Map(options.sources.map((source) => [source.id, source]));
  const index = client.index(indexUid);
  const result: SyncResult = { upserted: 0, deleted: 0 };
  for (;;) {
    const batch = store.pendingDocuments(batchSize);
    if (batch.length === 0) return result;
    const upserts = batch.flatMap((pending) => {
      const source = sourcesById.get(pending.sourceId);
      return pending.page && source ? [toSearchDocument(pending.page, source)] : [];
    });
    // A document of a source no longer listed is deleted, not re-sent.
    const deletions = batch
      .filter((pending) => !pending.page || !sourcesById.has(pending.sourceId))
      .map((pending) => documentIdForUrl(pending.url));
    if (upserts.length > 0) await awaitTask(client, index.addDocuments(upserts, { primaryKey: 'id' }));
    if (deletions.length > 0) await awaitTask(client, index.deleteDocuments(deletions));
    store.markIndexed(batch.map((pending) => pending.url));
    result.upserted += upserts.length;
    result.deleted += deletions.length;
    log.debug({ upserted: upserts.length, deleted: deletions.length }, 'index batch confirmed');
  }
}
