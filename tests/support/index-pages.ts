import type { Meilisearch } from 'meilisearch';
import { silentLogger } from '../../core/logger.ts';
import type { RawPage } from '../../core/raw-page.ts';
import { NATIONAL_SOURCE } from '../../eval/eval-corpus.ts';
import { ensureIndex } from '../../indexer/index-settings.ts';
import { type IndexerResources, loadIndexerResources } from '../../indexer/indexer-resources.ts';
import { syncIndex } from '../../indexer/sync-index.ts';
import { recordPages } from '../builders/raw-page-builder.ts';
import { tempCrawlStore } from './test-crawl.ts';

/**
 * Indexes service-public.fr pages the project's way: a crawl store, then the indexer's sync, with the
 * project's settings (or `resources` built otherwise, e.g. with an embedder).
 */
export async function indexPages(
  client: Meilisearch,
  indexUid: string,
  pages: readonly RawPage[],
  resources?: IndexerResources,
): Promise<void> {
  const indexerResources = resources ?? (await loadIndexerResources());
  const { store } = await tempCrawlStore();
  recordPages(store, pages);
  await ensureIndex(client, indexUid, indexerResources.settings);
  await syncIndex({
    documents: store.documents,
    client,
    indexUid,
    sources: [NATIONAL_SOURCE],
    resources: indexerResources,
    log: silentLogger(),
  });
  store.close();
}
