import type { EnqueuedTask, Meilisearch } from 'meilisearch';
import { IndexTaskFailedError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { DocumentStore, PendingDocument, QuarantinedDocument } from '../store/document-store.ts';
import { documentBuilder } from './document-builder.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import type { IndexerResources } from './indexer-resources.ts';
import {
  DEFAULT_ISOLATION_TASKS,
  type IsolationBudget,
  isolateRefusedDocuments,
} from './isolate-refused-documents.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';

export interface SyncOptions {
  documents: DocumentStore;
  client: Meilisearch;
  indexUid: string;
  /**
   * Every source whose documents may be sent: the whole whitelist, not only the sources a run
   * crawled. A pending document of a source not listed here waits; it is never deleted for that.
   */
  sources: readonly Source[];
  resources: Pick<IndexerResources, 'territories' | 'taxonomy'>;
  log: Logger;
  batchSize?: number;
  retry?: RetryPolicy;
  now?: () => Date;
  /** Failed tasks this sync may spend isolating refused documents (tests lower it). */
  isolationTasks?: number;
}

export interface SyncResult {
  upserted: number;
  deleted: number;
  /** Documents Meilisearch refused during this sync, set aside with their error. */
  quarantined: QuarantinedDocument[];
  /** Pending documents left waiting: their source is not among `sources` (or no longer enabled). */
  waiting: number;
}

/**
 * Sends the store's pending changes to Meilisearch, batch by batch, and marks a batch indexed only
 * after its tasks succeeded. If Meilisearch goes away, the batch is retried with backoff; if the
 * process dies, the next sync sends what is still pending. Nothing is lost either way. A document
 * Meilisearch refuses is quarantined (isolate-refused-documents.ts) and the rest goes in.
 */
export async function syncIndex(options: SyncOptions): Promise<SyncResult> {
  const { documents, log } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const toChange = documentBuilder(options);
  const result: SyncResult = { upserted: 0, deleted: 0, quarantined: [], waiting: 0 };
  const budget: IsolationBudget = {
    failedTasksLeft: options.isolationTasks ?? DEFAULT_ISOLATION_TASKS,
    indexed: 0,
  };
  const pass = { sent: 0, waiting: 0 };
  do {
    // Batches confirmed before a failure count in `result` and are not sent again by the retry.
    await withMeiliRetry(
      async () => {
        pass.sent = 0;
        pass.waiting = 0;
        await sendPending({ ...options, batchSize, toChange, result, budget, pass });
      },
      options.retry ?? DEFAULT_RETRY_POLICY,
      log,
    );
    // Documents rewritten by a crawl while they were being indexed are still pending: go again.
  } while (pass.sent > 0 && documents.pendingDocuments(pass.waiting + 1).length > pass.waiting);
  result.waiting = pass.waiting;
  if (result.waiting > 0) {
    log.info({ waiting: result.waiting }, 'pending documents of sources not in this run left waiting');
  }
  return result;
}

/**
 * Batches kept enqueued in Meilisearch while the oldest is awaited: enough for a typical sync to be
 * enqueued whole. Meilisearch merges the additions waiting in its queue into one indexing job, and
 * each job has a large fixed cost (bench:index, 20,000 documents: with 3 in flight it made jobs of
 * 2,000-4,000 documents; with all enqueued, two jobs, as the raw client does). Only (url, version)
 * pairs stay in memory per batch, so this costs ~100 KB per batch, not the documents.
 */
const BATCHES_IN_FLIGHT = 50;

interface BatchInFlight {
  tasks: EnqueuedTask[];
  versions: Pick<PendingDocument, 'url' | 'updatedAt'>[];
  upserts: number;
  deletions: number;
}

/**
 * One pass over the pending changes as a sliding window: up to BATCHES_IN_FLIGHT batches are enqueued
 * (Meilisearch merges consecutive additions into one indexing job, and the next batch is built while
 * it indexes); each is marked indexed as soon as its own tasks succeeded. Only counts stay in memory
 * once a batch is sent, so memory holds about one batch of documents.
 */
async function sendPending(
  options: SyncOptions & {
    batchSize: number;
    toChange: ReturnType<typeof documentBuilder>;
    result: SyncResult;
    budget: IsolationBudget;
    pass: { sent: number; waiting: number };
  },
): Promise<void> {
  const { documents, client, indexUid, batchSize, toChange, result, pass } = options;
  const index = client.index(indexUid);
  const inFlight: BatchInFlight[] = [];
  let cursor: PendingDocument | undefined;
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    const failure = await firstFailure(client, oldest.tasks);
    if (!failure) {
      documents.markIndexed(oldest.versions);
      result.upserted += oldest.upserts;
      result.deleted += oldest.deletions;
      options.budget.indexed += oldest.versions.length;
      return;
    }
    const isolated = await isolateRefusedDocuments({
      ...options,
      versions: oldest.versions,
      failure,
      now: options.now ?? (() => new Date()),
    });
    result.upserted += isolated.upserted;
    result.deleted += isolated.deleted;
    result.quarantined.push(...isolated.quarantined);
  };
  for (;;) {
    const batch = documents.pendingDocuments(batchSize, cursor);
    if (batch.length === 0) break;
    cursor = batch.at(-1);
    const upserts = [];
    const deletions = [];
    const versions = [];
    for (const pending of batch) {
      const change = toChange(pending);
      if (change.kind === 'wait') {
        pass.waiting++;
        continue;
      }
      if (change.kind === 'upsert') upserts.push(change.document);
      else deletions.push(documentIdForUrl(pending.url));
      // Only which version of each document was sent is kept: the documents themselves are gone.
      versions.push({ url: pending.url, updatedAt: pending.updatedAt });
    }
    if (versions.length === 0) continue;
    const tasks: EnqueuedTask[] = [];
    if (upserts.length > 0) tasks.push(await index.addDocuments(upserts, { primaryKey: 'id' }));
    if (deletions.length > 0) tasks.push(await index.deleteDocuments(deletions));
    pass.sent += versions.length;
    inFlight.push({ tasks, versions, upserts: upserts.length, deletions: deletions.length });
    if (inFlight.length >= BATCHES_IN_FLIGHT) await settleOldest();
  }
  while (inFlight.length > 0) await settleOldest();
}

/** Awaits every task of a batch; the first that failed, if any (a lost or unreachable one throws). */
async function firstFailure(
  client: Meilisearch,
  tasks: readonly EnqueuedTask[],
): Promise<IndexTaskFailedError | undefined> {
  let failure: IndexTaskFailedError | undefined;
  for (const task of tasks) {
    try {
      await awaitTask(client, task);
    } catch (error) {
      if (!(error instanceof IndexTaskFailedError)) throw error;
      failure ??= error;
    }
  }
  return failure;
}
