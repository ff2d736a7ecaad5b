import type { Meilisearch } from 'meilisearch';
import { IndexTaskFailedError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl } from '../core/search-document.ts';
import type { DocumentStore, PendingDocument, QuarantinedDocument } from '../store/document-store.ts';
import type { documentBuilder } from './document-builder.ts';
import { awaitTask } from './meili-task.ts';

type Version = Pick<PendingDocument, 'url' | 'updatedAt'>;

/** How much a sync spends finding refused documents before it calls the failure systemic. */
export interface IsolationBudget {
  /** Failed tasks left to spend on splitting batches (each bad document costs about log2(batch)). */
  failedTasksLeft: number;
  /** Documents this sync got into the index: proof that the index itself accepts documents. */
  indexed: number;
}

export const DEFAULT_ISOLATION_TASKS = 64;

/**
 * Error codes that are about one document whatever else the index holds. Other refusals
 * (`vector_embedding_error`, `missing_document_id`...) may also be the whole index's problem (an
 * embedding service down, a wrong primary key): a document is quarantined for those only once other
 * documents went in, which shows the index takes documents.
 */
const DOCUMENT_ERRORS = new Set([
  'invalid_document_id',
  'invalid_document_fields',
  'invalid_document_geo_field',
  'invalid_vectors',
  'document_fields_limit_reached',
]);

/** Consecutive failed parts, with nothing indexed, after which splitting further is pointless. */
const SYSTEMIC_AFTER = 8;

export interface IsolationResult {
  upserted: number;
  deleted: number;
  quarantined: QuarantinedDocument[];
}

/**
 * A Meilisearch task failed on what it carried (a document it cannot take, an embedder error on one
 * text): one bad document must not keep the others out forever, nor make every later sync fail on
 * the same batch. The batch is sent again in halves, each awaited; a half that goes in is marked
 * indexed, a half that fails is split again, and a single document that still fails is quarantined
 * with its error (the store leaves that version out of later syncs; a new version is sent again).
 * A failure of everything (an embedding service down, a wrong primary key) is not the documents'
 * fault: nothing is quarantined, the error is thrown, and the documents stay pending.
 */
export async function isolateRefusedDocuments(options: {
  client: Meilisearch;
  indexUid: string;
  documents: DocumentStore;
  versions: readonly Version[];
  failure: IndexTaskFailedError;
  toChange: ReturnType<typeof documentBuilder>;
  budget: IsolationBudget;
  log: Logger;
  now: () => Date;
  /** What a part that went in means: indexed in the store (a sync), nothing yet (a rebuild). */
  onIndexed?: (versions: readonly Version[]) => void;
}): Promise<IsolationResult> {
  const { client, indexUid, documents, budget } = options;
  const index = client.index(indexUid);
  // Only versions still pending: one a crawl rewrote meanwhile goes with the next pass.
  const entries = documents
    .pendingVersions(options.versions)
    .map((pending) => ({ pending, change: options.toChange(pending) }))
    .filter((entry) => entry.change.kind !== 'wait');
  const result: IsolationResult = { upserted: 0, deleted: 0, quarantined: [] };
  const suspects: { pending: PendingDocument; failure: IndexTaskFailedError }[] = [];
  let failedInARow = 0;

  const send = async (part: typeof entries): Promise<IndexTaskFailedError | null> => {
    const upserts = part.flatMap(({ change }) => (change.kind === 'upsert' ? [change.document] : []));
    const deletions = part.filter(({ change }) => change.kind === 'delete');
    try {
      if (upserts.length > 0) await awaitTask(client, index.addDocuments(upserts, { primaryKey: 'id' }));
      if (deletions.length > 0) {
        const ids = deletions.map(({ pending }) => documentIdForUrl(pending.url));
        await awaitTask(client, index.deleteDocuments(ids));
      }
    } catch (error) {
      if (error instanceof IndexTaskFailedError) return error;
      throw error;
    }
    (options.onIndexed ?? ((versions) => documents.markIndexed(versions)))(
      part.map(({ pending }) => pending),
    );
    result.upserted += upserts.length;
    result.deleted += deletions.length;
    budget.indexed += part.length;
    return null;
  };

  const split = async (part: typeof entries, failure: IndexTaskFailedError): Promise<void> => {
    if (part.length === 0) return;
    if (part.length === 1) {
      suspects.push({ pending: part[0]!.pending, failure });
      return;
    }
    const middle = Math.ceil(part.length / 2);
    for (const half of [part.slice(0, middle), part.slice(middle)]) {
      if (budget.failedTasksLeft <= 0 || (failedInARow >= SYSTEMIC_AFTER && budget.indexed === 0)) {
        throw failure;
      }
      const halfFailure = await send(half);
      if (!halfFailure) {
        failedInARow = 0;
        continue;
      }
      budget.failedTasksLeft--;
      failedInARow++;
      await split(half, halfFailure);
    }
  };

  await split(entries, options.failure);
  const now = options.now().toISOString();
  for (const { pending, failure } of suspects) {
    const code = errorCode(failure);
    if (budget.indexed === 0 && !DOCUMENT_ERRORS.has(code ?? '')) throw failure;
    const quarantined = {
      url: pending.url,
      sourceId: pending.sourceId,
      updatedAt: pending.updatedAt,
      error: errorMessage(failure),
      taskUid: failure.taskUid,
    };
    documents.quarantine(quarantined, now);
    result.quarantined.push({ ...quarantined, quarantinedAt: now });
    options.log.warn({ url: pending.url, taskUid: failure.taskUid, code }, 'document refused, quarantined');
  }
  return result;
}

function errorCode(failure: IndexTaskFailedError): string | undefined {
  return (failure.detail as { code?: string } | null)?.code;
}

function errorMessage(failure: IndexTaskFailedError): string {
  const detail = failure.detail as { code?: string; message?: string } | null;
  return `${detail?.code ?? failure.status}: ${detail?.message ?? 'no detail'}`.slice(0, 1000);
}
