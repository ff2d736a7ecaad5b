import type { Meilisearch } from 'meilisearch';
import { IndexTaskFailedError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import type { DocumentStore, QuarantinedDocument } from '../store/document-store.ts';
import { documentBuilder } from './document-builder.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import { createIndexIfMissing, ensureIndex } from './index-settings.ts';
import type { IndexerResources } from './indexer-resources.ts';
import { DEFAULT_ISOLATION_TASKS, isolateRefusedDocuments } from './isolate-refused-documents.ts';
import { DEFAULT_RETRY_POLICY, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';

export interface ReindexResult {
  documents: number;
  temporaryIndex: string;
  /** Documents Meilisearch refused during the rebuild, set aside with their error. */
  quarantined: QuarantinedDocument[];
  /** Sources whose documents the store holds but the sources file does not list: left out. */
  waitingSources: string[];
}

/**
 * Rebuilds the index from the store, with the current settings, without downtime: documents go to a
 * temporary index, which is swapped with the live one in one atomic Meilisearch operation; searches
 * keep answering from the old index until the swap. The old index is then deleted. The caller holds
 * the store's writer lock: nothing changes the store meanwhile, so after the swap the index holds
 * exactly what was read.
 */
export async function reindex(options: {
  documents: DocumentStore;
  client: Meilisearch;
  indexUid: string;
  sources: readonly Source[];
  resources: IndexerResources;
  log: Logger;
  now?: () => Date;
}): Promise<ReindexResult> {
  const { documents, client, indexUid, log } = options;
  const now = options.now ?? (() => new Date());
  const temporaryIndex = `${indexUid}_rebuild_${now().getTime()}`;
  // Swapping needs both indexes to exist; the live one may not yet on a fresh install. Only the new
  // index gets the settings: the live one keeps answering as it is until the swap.
  await createIndexIfMissing(client, indexUid, options.resources.settings);
  await ensureIndex(client, temporaryIndex, options.resources.settings);
  const toChange = documentBuilder(options);
  const budget = { failedTasksLeft: DEFAULT_ISOLATION_TASKS, indexed: 0 };
  const waitingSources = new Set<string>();
  const quarantined: QuarantinedDocument[] = [];
  let sent = 0;
  let afterUrl = '';
  for (;;) {
    const batch = documents.liveDocuments(afterUrl, DEFAULT_BATCH_SIZE);
    if (batch.length === 0) break;
    afterUrl = batch.at(-1)!.url;
    const sendable = batch.filter((pending) => {
      if (documents.isQuarantined(pending)) return false;
      if (toChange(pending).kind !== 'wait') return true;
      waitingSources.add(pending.sourceId);
      return false;
    });
    const upserts = sendable.flatMap((pending) => {
      const change = toChange(pending);
      return change.kind === 'upsert' ? [change.document] : [];
    });
    if (upserts.length === 0) continue;
    await withMeiliRetry(
      async () => {
        try {
          await awaitTask(client, client.index(temporaryIndex).addDocuments(upserts, { primaryKey: 'id' }));
          sent += upserts.length;
          budget.indexed += upserts.length;
        } catch (error) {
          if (!(error instanceof IndexTaskFailedError)) throw error;
          // The rebuilt index is not live yet: the store is told once it has been swapped in.
          const isolated = await isolateRefusedDocuments({
            client,
            indexUid: temporaryIndex,
            documents,
            versions: sendable,
            failure: error,
            toChange,
            budget,
            log,
            now,
            onIndexed: () => undefined,
          });
          sent += isolated.upserted;
          quarantined.push(...isolated.quarantined);
        }
      },
      DEFAULT_RETRY_POLICY,
      log,
    );
  }
  await awaitTask(client, client.swapIndexes([{ indexes: [indexUid, temporaryIndex], rename: false }]));
  documents.markAllIndexed([...waitingSources]);
  // After the swap the temporary uid holds the old documents.
  await awaitTask(client, client.deleteIndex(temporaryIndex));
  log.info({ documents: sent, indexUid, quarantined: quarantined.length }, 'index rebuilt and swapped in');
  return { documents: sent, temporaryIndex, quarantined, waitingSources: [...waitingSources] };
}
