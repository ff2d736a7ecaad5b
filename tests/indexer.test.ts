import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { IndexTaskFailedError } from '../core/errors.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { type IndexerResources, loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { reindex } from '../indexer/reindex.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { aRawPage, recordPages } from './builders/raw-page-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
const log = silentLogger();
const sources = [aSource()];
const noRetry = { delaysMs: [] };
let resources: IndexerResources;

beforeAll(async () => {
  resources = await loadIndexerResources();
});

async function freshIndex(prefix: string): Promise<string> {
  const indexUid = uniqueIndexUid(prefix);
  await ensureIndex(client, indexUid, resources.settings);
  return indexUid;
}

describe('indexing what the crawler stored', () => {
  it('describes each page with its territory at every level, its themes and ranking signals', async () => {
    const indexUid = await freshIndex('describe');
    const { store } = await tempCrawlStore();
    recordPages(store, [aRawPage({}, 1)]);
    await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources,
      resources,
      log,
      now: () => new Date('2026-11-30'),
    });
    const [document] = (await client.index<SearchDocument>(indexUid).getDocuments()).results;
    expect(document).toMatchObject({
      url: 'https://www.frontignan.fr/actualites/page-1.html',
      territory: {
        code: 'commune:34108',
        level: 'commune',
        name: 'Frontignan',
        departement: { code: '34', name: 'Hérault' },
        region: { code: '76', name: 'Occitanie' },
        sizeBracket: '10000-50000',
      },
      type: 'actualite',
      trust: 2,
      formatRank: 1,
    });
    expect(document?.territory.codes).toEqual(
      expect.arrayContaining(['commune:34108', 'departement:34', 'region:76']),
    );
    expect(document?.themes).toContain('numerique');
    expect(document?.freshness).toBeGreaterThan(80);
    expect(store.documents.countPending()).toBe(0);
  });

  it('finds a page by a filter on its région, built from the territory codes', async () => {
    const indexUid = await freshIndex('filter');
    const { store } = await tempCrawlStore();
    recordPages(store, [aRawPage({}, 2)]);
    await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    const inRegion = await client.index(indexUid).search('', { filter: 'territory.codes = "region:76"' });
    const elsewhere = await client.index(indexUid).search('', { filter: 'territory.codes = "region:11"' });
    expect(inRegion.hits).toHaveLength(1);
    expect(elsewhere.hits).toHaveLength(0);
  });

  it('keeps documents pending when Meilisearch rejects the task, and says which task failed', async () => {
    const indexUid = uniqueIndexUid('rejected');
    // An index whose primary key our documents do not have: every addition fails.
    await awaitTask(client, client.createIndex(indexUid, { primaryKey: 'reference' }));
    const { store } = await tempCrawlStore();
    recordPages(store, [aRawPage({}, 3), aRawPage({}, 4)]);
    const failure = await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources,
      resources,
      log,
      retry: noRetry,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IndexTaskFailedError);
    expect((failure as IndexTaskFailedError).taskUid).toBeGreaterThan(0);
    expect(store.documents.countPending()).toBe(2);
  });

  it('never deletes, and leaves pending, the documents of a source it was not given', async () => {
    const indexUid = await freshIndex('waiting');
    const { store } = await tempCrawlStore();
    const other = aSource({ id: 'sete', url: 'https://www.sete.fr/', territory: 'commune:34301' });
    const ours = aRawPage({}, 1);
    const theirs = aRawPage({ sourceId: 'sete', url: 'https://www.sete.fr/ecole.html' }, 2);
    recordPages(store, [ours, theirs]);
    await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources: [...sources, other],
      resources,
      log,
    });
    // A sync killed before Meilisearch confirmed leaves both pending again.
    recordPages(store, [ours, theirs], new Date('2026-11-21T08:00:00Z'));

    const result = await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });

    expect(result).toMatchObject({ deleted: 0, waiting: 1 });
    const urls = (await client.index<SearchDocument>(indexUid).getDocuments()).results.map((d) => d.url);
    expect(urls.sort()).toEqual([ours.url, theirs.url].sort());
    expect(store.documents.countPending()).toBe(1);
  });

  it('removes from the index the documents the store deleted', async () => {
    const indexUid = await freshIndex('deletions');
    const { store } = await tempCrawlStore();
    const pages = [aRawPage({}, 5), aRawPage({}, 6)];
    recordPages(store, pages);
    await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    store.documents.removeDocuments([pages[0]!.url], new Date().toISOString());
    const result = await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });
    expect(result).toMatchObject({ upserted: 0, deleted: 1 });
    const remaining = await client.index<SearchDocument>(indexUid).getDocuments();
    expect(remaining.results.map((document) => document.url)).toEqual([pages[1]!.url]);
  });
});

describe('npm run reindex', () => {
  it('rebuilds from the store into a new index and swaps it in while searches keep answering', async () => {
    const indexUid = await freshIndex('rebuild');
    const { store } = await tempCrawlStore();
    const pages = Array.from({ length: 300 }, (_, n) => aRawPage({}, n));
    recordPages(store, pages);
    await syncIndex({ documents: store.documents, client, indexUid, sources, resources, log });

    const answers: number[] = [];
    let rebuilding = true;
    const searching = (async () => {
      while (rebuilding) {
        const result = await client.index(indexUid).search('école numérique', { limit: 1 });
        answers.push(result.estimatedTotalHits ?? 0);
      }
    })();
    const result = await reindex({ documents: store.documents, client, indexUid, sources, resources, log });
    rebuilding = false;
    await searching;

    expect(result.documents).toBe(300);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((hits) => hits === 300)).toBe(true);
    expect((await client.index(indexUid).getStats()).numberOfDocuments).toBe(300);
    const indexes = await client.getIndexes({ limit: 1000 });
    expect(indexes.results.map((index) => index.uid)).not.toContain(result.temporaryIndex);
  });
});
