import { describe, expect, it } from 'vitest';
import type { SearchDocument } from '../core/search-document.ts';
import { SourceSchema } from '../core/source.ts';
import type { FixtureRequest, FixtureResponse, FixtureSite } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import { documentWritesSince, indexedDocuments, latestTaskUid } from './support/crawl-results.ts';
import { DGCL_DATASET, DGCL_YEARS, dgclFile, dgclLines } from './support/dgcl-rows.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();

function datasetSource(site: ServedSite, files: string[]) {
  return SourceSchema.parse({
    id: 'dgcl',
    name: 'Projets financés par les dotations de l’État (DGCL)',
    kind: 'etat',
    url: `${site.origin}/`,
    territory: 'national',
    crawl: { requestsPerSecond: 50 },
    dataset: { ...DGCL_DATASET, files: files.map((path) => ({ url: site.url(path) })) },
  });
}

const csv = (header: string, rows: readonly string[], encoding: BufferEncoding = 'utf8') =>
  Buffer.from(`\uFEFF${[header, ...rows].join('\r\n')}\r\n`, encoding);

function withEtag(etag: string, body: Buffer, request: FixtureRequest): FixtureResponse {
  return request.headers['if-none-match'] === etag
    ? { status: 304, headers: { etag }, body: '' }
    : { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', etag }, body };
}

describe('the four DGCL files (99,026 projects), served locally', () => {
  it('are crawled into the real Meilisearch with every row accounted for', async () => {
    const site: FixtureSite = new Map(
      DGCL_YEARS.map((year) => [
        `/projets-${year}.csv`,
        { status: 200, headers: { 'content-type': 'text/csv' }, body: dgclFile(year) },
      ]),
    );
    const web = await serveSite(site);
    const indexUid = uniqueIndexUid('dgcl-all');
    const { store } = await tempCrawlStore();
    const source = datasetSource(
      web,
      DGCL_YEARS.map((year) => `/projets-${year}.csv`),
    );
    const report = reportOf(await crawlAndIndex({ sources: [source], store, indexUid }), 'dgcl');
    store.close();
    await web.close();

    const stats = report.dataset!;
    expect(stats.files).toBe(4);
    // Every record of the four files is a document, or counted as skipped with its reason.
    expect(stats.rows + stats.invalid).toBe(99_026);
    expect(report.new).toBe(stats.rows);
    expect((await client.index(indexUid).getStats()).numberOfDocuments).toBe(stats.rows);
    // A row whose commune has merged since keeps its département (or région, for the DGCL's coarse
    // codes of Alsace and Corsica); only overseas collectivities outside the official list have none.
    expect(stats.widerTerritoryOnly).toBeGreaterThan(0);
    expect(stats.unknownTerritory).toBeLessThan(40);
    // Counted by the documents route: a search's total stops at maxTotalHits (1,000).
    const projectsIn = async (code: string) =>
      (await client.index(indexUid).getDocuments({ filter: `territory.codes = "${code}"`, limit: 1 })).total;
    expect(await projectsIn('region:94')).toBeGreaterThan(200);
    expect(await projectsIn('region:76')).toBeGreaterThan(5_000);
  }, 900_000);
});

describe('a dataset source', () => {
  it('indexes every row of its files as a project of its beneficiary’s territory, with its amounts', async () => {
    const { header, rows } = dgclLines(2024, 40);
    const site: FixtureSite = new Map([
      ['/projets-2024.csv', { status: 200, headers: {}, body: csv(header, rows) }],
    ]);
    const web = await serveSite(site);
    const indexUid = uniqueIndexUid('dataset');
    const { store } = await tempCrawlStore();
    const report = reportOf(
      await crawlAndIndex({ sources: [datasetSource(web, ['/projets-2024.csv'])], store, indexUid }),
      'dgcl',
    );
    store.close();
    await web.close();

    expect(report.new).toBe(40);
    expect(report.dataset).toMatchObject({ files: 1, rows: 40, invalid: 0 });
    const documents = await indexedDocuments(client, indexUid);
    expect(documents).toHaveLength(40);
    // 2024;DETR;119;commune;210100418;001;COMMUNE DE BETTANT;01041;Renovation interieure de l'eglise;23060,0;4612,0;0,2
    const bettant = documents.find((document) => document.title === "Renovation interieure de l'eglise");
    expect(bettant).toMatchObject({
      type: 'projet',
      territory: { code: 'commune:01041', departement: { code: '01' } },
      project: { year: 2024, scheme: 'DETR', beneficiary: 'COMMUNE DE BETTANT', cost: 23060, grant: 4612 },
    } satisfies Partial<Record<keyof SearchDocument, unknown>>);
  });

  it('costs one request when its file has not changed, and updates only the rows that changed when it has', async () => {
    const { header, rows } = dgclLines(2023, 60);
    let version = rows;
    const site: FixtureSite = new Map();
    site.set('/projets.csv', (request) =>
      withEtag(`"v${version.length}-${version[0]!.length}"`, csv(header, version), request),
    );
    const web = await serveSite(site);
    const source = datasetSource(web, ['/projets.csv']);
    const indexUid = uniqueIndexUid('dataset-change');
    const { file } = await tempCrawlStore();
    const crawl = async () => {
      const store = CrawlStore.open(file);
      try {
        return reportOf(await crawlAndIndex({ sources: [source], store, indexUid }), 'dgcl');
      } finally {
        store.close();
      }
    };
    await crawl();

    web.resetStats();
    const unchangedBookmark = await latestTaskUid(client, indexUid);
    const unchanged = await crawl();
    expect(web.requests.filter((request) => request.path === '/projets.csv')).toHaveLength(1);
    expect(unchanged).toMatchObject({ notModified: 1, unchanged: 60, new: 0, changed: 0, deleted: 0 });
    expect(await documentWritesSince(client, indexUid, unchangedBookmark)).toEqual({
      upserted: 0,
      deleted: 0,
    });

    // The next version: two grants revised, three rows gone, one added. (A title is part of a row's
    // identity: the DGCL lists have no project id, and one commune has several projects a year.)
    const { rows: more } = dgclLines(2023, 61);
    version = [
      ...rows.slice(0, 2).map((row) => row.replace(/;([^;]*);([^;]*)$/, ';1234,0;$2')),
      ...rows.slice(2, 57),
      more[60]!,
    ];
    const bookmark = await latestTaskUid(client, indexUid);
    const changed = await crawl();
    expect(changed).toMatchObject({ new: 1, changed: 2, unchanged: 55, deleted: 3 });
    expect(await documentWritesSince(client, indexUid, bookmark)).toEqual({ upserted: 3, deleted: 3 });
    expect(await indexedDocuments(client, indexUid)).toHaveLength(58);
    await web.close();
  });
});
