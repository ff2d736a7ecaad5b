import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import type { DocumentStore } from '../store/document-store.ts';
import { DEFAULT_BATCH_SIZE } from './index-documents.ts';
import { ensureIndex } from './index-settings.ts';
import type { IndexerResources } from './indexer-resources.ts';
import { DEFAULT_RETRY_POLICY, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';
import { documentBuilder } from './sync-index.ts';

export interface ReindexResult {
  documents: number;
  temporaryIndex: string;
}

/**
 * Rebuilds the index from the store, with the current settings, without downtime: documents go to a
 * temporary index, which is swapped with the live one in one atomic Meilisearch operation; searches
 * keep answering from the old index until the swap. The old index is then deleted.
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
  const temporaryIndex = `${indexUid}_rebuild_${(options.now?.() ?? new Date()).getTime()}`;
  // Swapping needs both indexes to exist; the live one may not yet on a fresh install.
  await ensureIndex(client, indexUid, options.resources.settings);
  await ensureIndex(client, temporaryIndex, options.resources.settings);
  const toDocument = documentBuilder(options);
  let sent = 0;
  let afterUrl = '';
  for (;;) {
    const batch = documents.liveDocuments(afterUrl, DEFAULT_BATCH_SIZE);
    if (batch.length === 0) break;
    const upserts = batch.flatMap((pending) => toDocument(pending));
    if (upserts.length > 0) {
      await withMeiliRetry(
        () => awaitTask(client, client.index(temporaryIndex).addDocuments(upserts, { primaryKey: 'id' })),
        DEFAULT_RETRY_POLICY,
        log,
      );
    }
    sent += upserts.length;
    afterUrl = batch.at(-1)!.url;
  }
  await awaitTask(client, client.swapIndexes([{ indexes: [indexUid, temporaryIndex], rename: false }]));
  documents.markAllIndexed();
  // After the swap the temporary uid holds the old documents.
  await awaitTask(client, client.deleteIndex(temporaryIndex));
  log.info({ documents: sent, indexUid }, 'index rebuilt and swapped in');
  return { documents: sent, temporaryIndex };
}
