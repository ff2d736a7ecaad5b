import type { EnqueuedTask, Meilisearch } from 'meilisearch';
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
    // Several batches are enqueued before the first is awaited: Meilisearch merges consecutive
    // additions into one indexing job, and the next batches are built while it indexes.
    const pending = store.pendingDocuments(batchSize * BATCHES_IN_FLIGHT);
    if (pending.length === 0) return result;
    const chunks = chunk(pending, batchSize).map((batch) => {
      const upserts = batch.flatMap((change) => toDocument(change));
      const upserted = new Set(upserts.map((document) => document.url));
      const deletions = batch
        .filter((change) => !upserted.has(change.url))
        .map((change) => documentIdForUrl(change.url));
      return { batch, upserts, deletions };
    });
    await withMeiliRetry(
      async () => {
        const index = client.index(indexUid);
        const enqueued: { task: EnqueuedTask; chunk: (typeof chunks)[number] | null }[] = [];
        for (const part of chunks) {
          if (part.upserts.length > 0) {
            enqueued.push({
              task: await index.addDocuments(part.upserts, { primaryKey: 'id' }),
              chunk: null,
            });
          }
          if (part.deletions.length > 0)
            enqueued.push({ task: await index.deleteDocuments(part.deletions), chunk: null });
          enqueued[enqueued.length - 1]!.chunk = part;
        }
        for (const { task, chunk: part } of enqueued) {
          await awaitTask(client, task);
          if (!part) continue;
          // Tasks run in order: once a chunk's last task succeeded, the whole chunk is in the index.
          store.markIndexed(part.batch.map((change) => change.url));
          result.upserted += part.upserts.length;
          result.deleted += part.deletions.length;
        }
      },
      options.retry ?? DEFAULT_RETRY_POLICY,
      log,
    );
    log.debug({ changes: pending.length }, 'index batches confirmed');
  }
}

/** Batches enqueued ahead of the one being awaited. */
const BATCHES_IN_FLIGHT = 4;

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
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
