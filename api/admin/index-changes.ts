import type { Logger } from '../../core/logger.ts';
import type { IndexerResources } from '../../indexer/indexer-resources.ts';
import { syncIndex } from '../../indexer/sync-index.ts';
import type { AdminDependencies } from './admin-dependencies.ts';

export interface IndexChangeContext {
  admin: AdminDependencies;
  indexUid: string;
  resources: Pick<IndexerResources, 'territories' | 'taxonomy'>;
  log: Logger;
}

/**
 * An admin action that changes the store and, through it, the index (a purge, confirmed deletions,
 * a disabled source): under the store's writer lock, as `npm run crawl` and `npm run reindex` are,
 * so that it never interleaves with them (StoreBusyError, a 409 naming the holder, when one runs);
 * then the store's pending changes go to Meilisearch before the answer, so that "at once" is true
 * when the admin reads it.
 */
export async function changeStoreAndIndex<T>(
  context: IndexChangeContext,
  command: string,
  change: () => T | Promise<T>,
): Promise<{ result: T; removedFromIndex: number }> {
  const { admin } = context;
  const release = admin.store.lockForWriting(command);
  try {
    const result = await change();
    const sync = await syncIndex({
      documents: admin.store.documents,
      client: admin.indexClient,
      indexUid: context.indexUid,
      sources: admin.catalog.list,
      resources: context.resources,
      log: context.log,
    });
    return { result, removedFromIndex: sync.deleted };
  } finally {
    release();
  }
}
