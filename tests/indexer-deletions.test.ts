import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { SourceSchema } from '../core/source.ts';
import { looksLikeASiteFailure } from '../crawler/crawl-sources.ts';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { refreshFreshness } from '../indexer/refresh-freshness.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { aRawPage, recordPages } from './builders/raw-page-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { crawlAndIndex, reportOf, testIndexerResources } from './support/crawl-and-index.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
let web: ServedSite;
const site = buildFicheSite({ count: 30 });
const source = SourceSchema.parse({
  id: 'fiches',
  name: 'Fiches',
  kind: 'etat',
  url: 'http://127.0.0.1:1/',
  territory: 'national',
  crawl: { requestsPerSecond: 50 },
});

beforeAll(async () => {
  web = await serveSite(site);
});
afterAll(async () => {
  await web.close();
});

const documentCount = async (indexUid: string) => (await client.index(indexUid).getStats()).numberOfDocuments;

describe('the deletion safety check', () => {
  it('holds deletions when a run loses more than 10% of a source, until an admin confirms them', async () => {
    const indexUid = uniqueIndexUid('held');
    const { store } = await tempCrawlStore();
    const sources = [{ ...source, url: `${web.origin}/` }];
    const [first] = await crawlAndIndex({ sources, store, indexUid });
    const before = await documentCount(indexUid);
    expect(before).toBe(first!.new);

    // The CMS breaks: a third of the fiches now answer 404.
    const broken = site.fiches.slice(0, 12).map((fiche) => fiche.path);
    for (const pathname of broken) web.site.set(pathname, htmlResponse('<h1>Introuvable</h1>', {}, 404));
    const second = reportOf(await crawlAndIndex({ sources, store, indexUid }), 'fiches');
    expect(second).toMatchObject({ deleted: 0, heldDeletions: 12 });
    expect(await documentCount(indexUid)).toBe(before);

    expect(store.documents.confirmHeldDeletions('fiches', new Date().toISOString())).toBe(12);
    const resources = await testIndexerResources();
    await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources,
      resources,
      log: silentLogger(),
    });
    expect(await documentCount(indexUid)).toBe(before - 12);
  });

  it('lets a handful of pages go, and a small share of a large source', () => {
    expect(looksLikeASiteFailure(3, 10)).toBe(false);
    expect(looksLikeASiteFailure(40, 1000)).toBe(false);
    expect(looksLikeASiteFailure(150, 1000)).toBe(true);
  });
});

describe('freshness', () => {
  it('lowers the freshness of documents as they age, without re-crawling them', async () => {
    const indexUid = uniqueIndexUid('fresh');
    const { store } = await tempCrawlStore();
    const resources = await testIndexerResources();
    await client.createIndex(indexUid, { primaryKey: 'id' }).waitTask();
    const page = aRawPage({ publishedAt: '2026-11-01', fetchedAt: '2026-11-20T08:00:00.000Z' }, 1);
    recordPages(store, [page]);
    await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources: [aSource()],
      resources,
      log: silentLogger(),
      now: () => new Date('2026-11-20'),
    });
    const freshnessNow = async () =>
      (await client.index<SearchDocument>(indexUid).getDocuments()).results[0]?.freshness;
    expect(await freshnessNow()).toBe(100);

    const updated = await refreshFreshness({
      documents: store.documents,
      client,
      indexUid,
      log: silentLogger(),
      now: new Date('2027-06-01'),
    });
    expect(updated).toBe(1);
    expect(await freshnessNow()).toBeLessThan(60);
    expect(
      await refreshFreshness({
        documents: store.documents,
        client,
        indexUid,
        log: silentLogger(),
        now: new Date('2027-06-01'),
      }),
    ).toBe(0);
  });
});
