import type { Meilisearch, Settings } from 'meilisearch';
import { awaitTask } from './meili-task.ts';

/** The index settings live in code and are applied (idempotently) before every indexing run. */
export const INDEX_SETTINGS: Settings = {
  // In order of weight: a match in the title beats one in the body.
  searchableAttributes: ['title', 'description', 'content'],
  filterableAttributes: ['source.id', 'source.kind', 'territory', 'lang'],
  sortableAttributes: ['crawledAt'],
  // French tokenization and normalization for every field.
  localizedAttributes: [{ attributePatterns: ['*'], locales: ['fra'] }],
  pagination: { maxTotalHits: 1000 },
};

export async function ensureIndex(client: Meilisearch, indexUid: string): Promise<void> {
  const exists = await client
    .index(indexUid)
    .getRawInfo()
    .then(() => true)
    .catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code === 'index_not_found') return false;
      throw error;
    });
  if (!exists) await awaitTask(client, client.createIndex(indexUid, { primaryKey: 'id' }));
  await awaitTask(client, client.index(indexUid).updateSettings(INDEX_SETTINGS));
}
