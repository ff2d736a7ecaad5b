import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexTaskFailedError } from '../core/errors.ts';
import { silentLogger } from '../core/logger.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { type IndexerResources, loadIndexerResources } from '../indexer/indexer-resources.ts';
import { reindex } from '../indexer/reindex.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { aRawPage, recordPages } from './builders/raw-page-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { startToyEmbedder, type ToyEmbedder } from './support/toy-embedder.ts';

const client = testMeiliClient();
const log = silentLogger();
const sources = [aSource()];
const noRetry = { delaysMs: [] };
/** The embedding service refuses any text with this word, as a real one refuses a text it cannot embed. */
const POISON = 'illisible';

describe('a document Meilisearch refuses', () => {
  let embedder: ToyEmbedder;
  let resources: IndexerResources;

  beforeAll(async () => {
    embedder = await startToyEmbedder([['école'], ['numérique']], {
      refuses: (text) => text.includes(POISON),
    });
    resources = await loadIndexerResources({ embedder: embedder.settings });
  });
  afterAll(() => embedder.close());

  const indexedUrls = async (indexUid: string) =>
    (await client.index<SearchDocument>(indexUid).getDocuments({ limit: 100 })).results
      .map((document) => document.url)
      .sort();

  it('is quarantined with its error, and every other document of its batch is indexed', async () => {
    const indexUid = uniqueIndexUid('quarantine');
    await ensureIndex(client, indexUid, resources.settings);
    const { store } = await tempCrawlStore();
    const pages = Array.from({ length: 9 }, (_, n) => aRawPage({}, n));
    const bad = aRawPage({ title: `Page ${POISON}` }, 9);
    recordPages(store, [...pages, bad]);

    const result = await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });

    expect(await indexedUrls(indexUid)).toEqual(pages.map((page) => page.url).sort());
    expect(result.upserted).toBe(9);
    expect(result.quarantined.map(({ url, sourceId }) => ({ url, sourceId }))).toEqual([
      { url: bad.url, sourceId: 'frontignan' },
    ]);
    expect(result.quarantined[0]?.error).toMatch(/embed/i);
    expect(store.documents.quarantined().map((document) => document.url)).toEqual([bad.url]);
  });

  it('is not sent again until it changes, and then goes in', async () => {
    const indexUid = uniqueIndexUid('quarantine-again');
    await ensureIndex(client, indexUid, resources.settings);
    const { store } = await tempCrawlStore();
    const bad = aRawPage({ title: `Page ${POISON}` }, 1);
    recordPages(store, [aRawPage({}, 0), bad]);
    await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    const asked = embedder.inputs.length;

    const again = await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    expect(again).toMatchObject({ upserted: 0, deleted: 0, quarantined: [] });
    expect(embedder.inputs.length).toBe(asked);

    recordPages(store, [{ ...bad, title: 'Page corrigée', fetchedAt: '2026-11-21T08:00:00.000Z' }]);
    const fixed = await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    expect(fixed.upserted).toBe(1);
    expect(await indexedUrls(indexUid)).toContain(bad.url);
    expect(store.documents.quarantined()).toEqual([]);
    expect(store.documents.countPending()).toBe(0);
  });

  it('is left out of a rebuild, which swaps in everything else', async () => {
    const indexUid = uniqueIndexUid('quarantine-rebuild');
    await ensureIndex(client, indexUid, resources.settings);
    const { store } = await tempCrawlStore();
    const good = [aRawPage({}, 0), aRawPage({}, 1)];
    const bad = aRawPage({ title: `Page ${POISON}` }, 2);
    recordPages(store, [...good, bad]);

    const result = await reindex({ documents: store.documents, client, indexUid, sources, resources, log });

    expect(result.quarantined.map((document) => document.url)).toEqual([bad.url]);
    expect(await indexedUrls(indexUid)).toEqual(good.map((page) => page.url).sort());
    expect(store.documents.quarantined().map((document) => document.url)).toEqual([bad.url]);
  });
});

describe('when Meilisearch refuses every document', () => {
  it('quarantines nothing: the documents stay pending and the sync says which task failed', async () => {
    const indexUid = uniqueIndexUid('refuses-all');
    // An index whose primary key our documents do not have: every addition fails, whatever it holds.
    await client.createIndex(indexUid, { primaryKey: 'reference' }).waitTask();
    const { store } = await tempCrawlStore();
    recordPages(
      store,
      Array.from({ length: 6 }, (_, n) => aRawPage({}, n)),
    );
    const failure = await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources,
      resources: await loadIndexerResources(),
      log,
      retry: noRetry,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IndexTaskFailedError);
    expect(store.documents.quarantined()).toEqual([]);
    expect(store.documents.countPending()).toBe(6);
  });
});
