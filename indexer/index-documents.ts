import type { EnqueuedTask, Meilisearch } from 'meilisearch';
import type { SearchDocument } from '../core/search-document.ts';
import { awaitTask } from './meili-task.ts';

export const DEFAULT_BATCH_SIZE = 2000;

export interface IndexingResult {
  indexed: number;
  tasks: number;
}

/**
 * Adds or replaces documents in batches. Batches are enqueued back to back (Meilisearch merges
 * consecutive additions into one indexing batch), then every task is awaited and its status checked.
 */
export async function indexDocuments(
  client: Meilisearch,
  indexUid: string,
  documents: SearchDocument[],
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<IndexingResult> {
  const index = client.index<SearchDocument>(indexUid);
  const enqueued: EnqueuedTask[] = [];
  for (let start = 0; start < documents.length; start += batchSize) {
    enqueued.push(await index.addDocuments(documents.slice(start, start + batchSize), { primaryKey: 'id' }));
  }
  for (const task of enqueued) await awaitTask(client, task);
  return { indexed: documents.length, tasks: enqueued.length };
}
