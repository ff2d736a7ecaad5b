import type { EnqueuedTask, Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl, type SearchDocument } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { DocumentStore, PendingDocument } from '../store/document-store.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import type { IndexerResources } from './indexer-resources.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';
import { toSearchDocument } from './to-search-document.ts';

export interface SyncOptions {
  documents: DocumentStore;
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
  const { documents, client, indexUid, log } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const toDocument = documentBuilder(options);
  const result: SyncResult = { upserted: 0, deleted: 0 };
  for (;;) {
    // Batches confirmed before a failure count in `result` and are not sent again by the retry.
    await withMeiliRetry(
      () => sendPending({ documents, client, indexUid, batchSize, toDocument, sent: result }),
      options.retry ?? DEFAULT_RETRY_POLICY,
      log,
    );
    // Documents rewritten by a crawl while they were being indexed are still pending: go again.
    if (documents.pendingDocuments(1).length === 0) return result;
  }
}

/**
 * Batches kept enqueued in Meilisearch while the oldest is awaited: enough for a typical sync to be
 * enqueued whole. Meilisearch merges the additions waiting in its queue into one indexing job, and
 * each job has a large fixed cost (bench:index, 20,000 documents: with 3 in flight it made jobs of
 * 2,000-4,000 documents; with all enqueued, two jobs, as the raw client does). Only (url, version)
 * pairs stay in memory per batch, so this costs ~100 KB per batch, not the documents.
 */
const BATCHES_IN_FLIGHT = 50;

/**
 * One pass over the pending changes as a sliding window: up to BATCHES_IN_FLIGHT batches are enqueued
 * (Meilisearch merges consecutive additions into one indexing job, and the next batch is built while
 * it indexes); each is marked indexed as soon as its own tasks succeeded. Only counts stay in memory
 * once a batch is sent, so memory holds about one batch of documents.
 */
async function sendPending(options: {
  documents: DocumentStore;
  client: Meilisearch;
  indexUid: string;
  batchSize: number;
  toDocument: ReturnType<typeof documentBuilder>;
  sent: SyncResult;
}): Promise<void> {
  const { documents, client, indexUid, batchSize, toDocument, sent } = options;
  const index = client.index(indexUid);
  const inFlight: {
    tasks: EnqueuedTask[];
    versions: Pick<PendingDocument, 'url' | 'updatedAt'>[];
    upserts: number;
    deletions: number;
  }[] = [];
  let cursor: PendingDocument | undefined;
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    for (const task of oldest.tasks) await awaitTask(client, task);
    documents.markIndexed(oldest.versions);
    sent.upserted += oldest.upserts;
    sent.deleted += oldest.deletions;
  };
  for (;;) {
    const batch = documents.pendingDocuments(batchSize, cursor);
    if (batch.length === 0) break;
    cursor = batch.at(-1);
    const upserts = batch.flatMap((change) => toDocument(change));
    const upserted = new Set(upserts.map((document) => document.url));
    const deletions = batch
      .filter((change) => !upserted.has(change.url))
      .map((change) => documentIdForUrl(change.url));
    const tasks: EnqueuedTask[] = [];
    if (upserts.length > 0) tasks.push(await index.addDocuments(upserts, { primaryKey: 'id' }));
    if (deletions.length > 0) tasks.push(await index.deleteDocuments(deletions));
    // Only which version of each document was sent is kept: the documents themselves are gone.
    const versions = batch.map(({ url, updatedAt }) => ({ url, updatedAt }));
    inFlight.push({ tasks, versions, upserts: upserts.length, deletions: deletions.length });
    if (inFlight.length >= BATCHES_IN_FLIGHT) await settleOldest();
  }
  while (inFlight.length > 0) await settleOldest();
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
