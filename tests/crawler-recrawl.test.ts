import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchDocument } from '../core/search-document.ts';
import { type CrawlReport, formatReport } from '../crawler/crawl-report.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import type {
  FixtureRequest,
  FixtureResponse,
  FixtureRoute,
  FixtureSite,
} from '../fixture-web/fixture-route.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage, type TownPageSpec } from './builders/town-page.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import {
  documentWritesSince,
  indexedDocuments,
  indexedUrls,
  latestTaskUid,
  pageRequests,
  requestsFor,
} from './support/crawl-results.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { aSiteSource } from './builders/source-builder.ts';

const client = testMeiliClient();

const page = (spec: TownPageSpec) => htmlResponse(aTownPage(spec));

/** The page served with an ETag, or a 304 to a request that already has this version. */
function withEtag(etag: string, response: FixtureResponse, request: FixtureRequest): FixtureResponse {
  return request.headers['if-none-match'] === etag
    ? { status: 304, headers: { etag }, body: '' }
    : { ...response, headers: { ...response.headers, etag } };
}

/** Same with Last-Modified and If-Modified-Since. */
function withLastModified(lastModified: string, response: FixtureResponse, request: FixtureRequest) {
  return request.headers['if-modified-since'] === lastModified
    ? { status: 304, headers: { 'last-modified': lastModified }, body: '' }
    : { ...response, headers: { ...response.headers, 'last-modified': lastModified } };
}

describe('a second crawl of the same sites', () => {
  const indexUid = uniqueIndexUid('recrawl');
  const LAST_MODIFIED = 'Tue, 05 Mar 2024 10:00:00 GMT';
  let version: 1 | 2 = 1;
  let web: ServedSite;
  let neighbour: ServedSite;
  let first: CrawlReport;
  let second: CrawlReport;
  let afterFirst: Map<string, SearchDocument>;
  let writes: { upserted: number; deleted: number };
  const url = (path: string) => web.url(path);

  beforeAll(async () => {
    const site: FixtureSite = new Map();
    web = await serveSite(site, { latencyMs: 20 });
    neighbour = await serveSite(
      new Map([
        ['/', page({ title: 'Commune voisine', links: ['/piscine.html'] })],
        ['/piscine.html', page({ title: 'Piscine', paragraphs: ['La piscine de la commune voisine.'] })],
      ]),
    );
    site.set('/sitemap.xml', {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
        `<url><loc>${web.origin}/reglement.html</loc><lastmod>2024-01-15</lastmod></url></urlset>`,
    });
    // The home page's text never changes; its menu loses a link in the second version.
    site.set('/', () =>
      page({
        title: 'Accueil',
        paragraphs: ['Bienvenue sur le site de la commune.'],
        links: [
          '/etag.html',
          '/last-modified.html',
          '/actualites.html',
          '/change.html',
          '/disparue-404.html',
          '/disparue-410.html',
          '/devient-noindex.html',
        ],
        menu: version === 1 ? ['/plus-liee.html'] : [],
      }),
    );
    site.set('/etag.html', (request) =>
      withEtag('"etag-v1"', page({ title: 'Horaires', paragraphs: ['La mairie ouvre à 8 h 30.'] }), request),
    );
    site.set('/last-modified.html', (request) =>
      withLastModified(
        LAST_MODIFIED,
        page({ title: 'Tarifs', paragraphs: ['Tarifs de la salle des fêtes.'] }),
        request,
      ),
    );
    // A hub that answers 304: the page only it links to must still be crawled, and kept.
    site.set('/actualites.html', (request) =>
      withEtag(
        '"hub-v1"',
        page({
          title: 'Actualités',
          paragraphs: ['Toutes les actualités.'],
          links: ['/actualites/marche.html'],
        }),
        request,
      ),
    );
    site.set(
      '/actualites/marche.html',
      page({ title: 'Marché', paragraphs: ['Le marché a lieu le jeudi.'] }),
    );
    // The sitemap says it has not changed since January: the page only it links to must still be kept.
    site.set(
      '/reglement.html',
      page({ title: 'Règlement', paragraphs: ['Règlement intérieur.'], links: ['/reglement/annexe.html'] }),
    );
    site.set(
      '/reglement/annexe.html',
      page({ title: 'Annexe', paragraphs: ['Annexe du règlement intérieur.'] }),
    );
    site.set('/change.html', (request) =>
      withEtag(
        `"change-v${version}"`,
        page({
          title: 'Travaux',
          paragraphs: [
            version === 1 ? 'Ancienne version des travaux.' : 'Nouvelle version : chantier terminé.',
          ],
        }),
        request,
      ),
    );
    site.set('/disparue-404.html', () =>
      version === 1
        ? page({ title: 'Brocante', paragraphs: ['Brocante annuelle.'] })
        : textResponse('Non', 404),
    );
    site.set('/disparue-410.html', () =>
      version === 1
        ? page({ title: 'Concours', paragraphs: ['Concours photo.'] })
        : textResponse('Parti', 410),
    );
    site.set('/devient-noindex.html', () =>
      page({
        title: 'Ancienne enquête',
        paragraphs: ['Enquête publique close.'],
        head: version === 1 ? '' : '<meta name="robots" content="noindex">',
      }),
    );
    site.set('/plus-liee.html', page({ title: 'Ancien menu', paragraphs: ['Rubrique retirée du menu.'] }));

    const mairie = aSiteSource('mairie', web, { requestsPerSecond: 20 });
    const { store, file } = await tempCrawlStore();
    first = reportOf(
      await crawlAndIndex({
        sources: [mairie, aSiteSource('voisine', neighbour, { requestsPerSecond: 20 })],
        store,
        indexUid,
      }),
      'mairie',
    );
    store.close();
    afterFirst = new Map(
      (await indexedDocuments(client, indexUid)).map((document) => [document.url, document]),
    );
    const bookmark = await latestTaskUid(client, indexUid);

    version = 2;
    web.resetStats();
    neighbour.resetStats();
    // Same store file, as the next `npm run crawl` would open it; the neighbour is no longer listed.
    const reopened = CrawlStore.open(file);
    second = reportOf(await crawlAndIndex({ sources: [mairie], store: reopened, indexUid }), 'mairie');
    reopened.close();
    writes = await documentWritesSince(client, indexUid, bookmark);
  });

  afterAll(async () => {
    await Promise.all([web?.close(), neighbour?.close()]);
  });

  const keptPaths = [
    '/',
    '/actualites.html',
    '/actualites/marche.html',
    '/change.html',
    '/etag.html',
    '/last-modified.html',
    '/reglement.html',
    '/reglement/annexe.html',
  ];
  const unchangedPaths = keptPaths.filter((path) => path !== '/change.html');
  const gonePaths = ['/devient-noindex.html', '/disparue-404.html', '/disparue-410.html', '/plus-liee.html'];

  it('indexed every page the first time', () => {
    expect(first).toMatchObject({ new: 12, changed: 0, unchanged: 0, deleted: 0, errors: {} });
    expect([...afterFirst.keys()].filter((key) => key.startsWith(web.origin)).sort()).toEqual(
      [...keptPaths, ...gonePaths].map(url).sort(),
    );
  });

  it('keeps exactly the pages still there, linked and indexable', async () => {
    expect(await indexedUrls(client, indexUid, 'mairie')).toEqual(keptPaths.map(url).sort());
  });

  it('reports one change, the unchanged pages and the four deletions', () => {
    expect(second).toMatchObject({
      new: 0,
      changed: 1,
      unchanged: unchangedPaths.length,
      deleted: gonePaths.length,
      errors: {},
    });
  });

  it('reports how each page was settled: by the sitemap, a 304, a full refetch, or gone', () => {
    // 304: /etag.html, /last-modified.html, /actualites.html. In full: the pages without
    // validators (/, /actualites/marche.html, /reglement/annexe.html, /devient-noindex.html) and
    // /change.html, whose ETag moved. The sitemap settles /reglement.html.
    expect(second).toMatchObject({ settledBySitemap: 1, notModified: 3, refetched: 5, gone: 2, new: 0 });
    expect(formatReport(second)).toContain(
      'pages: 1 settled by sitemap, 3 not modified (304), 5 refetched, 2 gone (404/410)',
    );
  });

  it('asks with the validators of the first response', () => {
    expect(requestsFor(web, '/etag.html').map((request) => request.headers['if-none-match'])).toEqual([
      '"etag-v1"',
    ]);
    expect(
      requestsFor(web, '/last-modified.html').map((request) => request.headers['if-modified-since']),
    ).toEqual([LAST_MODIFIED]);
    expect(requestsFor(web, '/change.html').map((request) => request.headers['if-none-match'])).toEqual([
      '"change-v1"',
    ]);
  });

  it('follows the links of a page that answered 304', () => {
    expect(requestsFor(web, '/actualites.html')).toHaveLength(1);
    expect(requestsFor(web, '/actualites/marche.html')).toHaveLength(1);
  });

  it('skips a page the sitemap says is unchanged, but still crawls the pages it links to', () => {
    expect(requestsFor(web, '/reglement.html')).toEqual([]);
    expect(requestsFor(web, '/reglement/annexe.html')).toHaveLength(1);
  });

  it('does not request a page no longer linked from anywhere', () => {
    expect(requestsFor(web, '/plus-liee.html')).toEqual([]);
  });

  it('sends Meilisearch the changed page and the deletions, nothing for the unchanged pages', async () => {
    expect(writes).toEqual({ upserted: 1, deleted: gonePaths.length });
    const after = new Map(
      (await indexedDocuments(client, indexUid)).map((document) => [document.url, document]),
    );
    for (const path of unchangedPaths) expect(after.get(url(path))).toEqual(afterFirst.get(url(path)));
  });

  it('re-indexes a changed page with its new text', async () => {
    const { hits } = await client.index(indexUid).search<SearchDocument>('chantier terminé');
    expect(hits.map((hit) => hit.url)).toEqual([url('/change.html')]);
    expect(hits[0]?.content).not.toContain('Ancienne version');
  });

  it('leaves alone the documents of a source missing from the list', async () => {
    expect(neighbour.requests).toEqual([]);
    expect(await indexedUrls(client, indexUid, 'voisine')).toEqual(
      ['/', '/piscine.html'].map((path) => neighbour.url(path)).sort(),
    );
  });
});

describe('a page that moved', () => {
  it('stays indexed under its new URL when its old URL, that redirected to it, disappears', async () => {
    // First the home page links the old URL, which redirects, and an article links the new one. Then
    // the home page links the new URL and the redirect is gone, while the article still links the old.
    const indexUid = uniqueIndexUid('moved');
    let moved = false;
    const web = await serveSite(
      new Map<string, FixtureRoute>([
        [
          '/',
          () =>
            page({
              title: 'Accueil',
              links: [moved ? '/nouveau-nom.html' : '/ancien-nom.html', '/article.html'],
            }),
        ],
        [
          '/article.html',
          () => page({ title: 'Article', links: [moved ? '/ancien-nom.html' : '/nouveau-nom.html'] }),
        ],
        [
          '/ancien-nom.html',
          () => (moved ? textResponse('Non', 404) : redirectResponse('/nouveau-nom.html', 301)),
        ],
        ['/nouveau-nom.html', page({ title: 'Médiathèque', paragraphs: ['Horaires de la médiathèque.'] })],
      ]),
    );
    const { store, file } = await tempCrawlStore();
    const sources = [aSiteSource('mairie', web, { requestsPerSecond: 20 })];
    await crawlAndIndex({ sources, store, indexUid });
    store.close();
    const expected = ['/', '/article.html', '/nouveau-nom.html'].map((path) => web.url(path));
    expect(await indexedUrls(client, indexUid)).toEqual(expected);

    moved = true;
    const reopened = CrawlStore.open(file);
    const [report] = await crawlAndIndex({ sources, store: reopened, indexUid });
    reopened.close();
    await web.close();
    expect(await indexedUrls(client, indexUid)).toEqual(expected);
    expect(report).toMatchObject({ deleted: 0, errors: {} });
  });
});

describe('a crawl store written before pages remembered their links', () => {
  it('is migrated, and fetches its unchanged pages in full once, so their links are still followed', async () => {
    const indexUid = uniqueIndexUid('migrated');
    const web = await serveSite(
      new Map<string, FixtureRoute>([
        ['/', page({ title: 'Accueil', links: ['/actualites.html'] })],
        [
          '/actualites.html',
          (request) =>
            withEtag('"hub-v1"', page({ title: 'Actualités', links: ['/actualites/marche.html'] }), request),
        ],
        ['/actualites/marche.html', page({ title: 'Marché', paragraphs: ['Le marché a lieu le jeudi.'] })],
      ]),
    );
    const { store, file } = await tempCrawlStore();
    const sources = [aSiteSource('mairie', web, { requestsPerSecond: 20 })];
    await crawlAndIndex({ sources, store, indexUid });
    store.close();
    const db = new Database(file);
    db.exec('ALTER TABLE pages DROP COLUMN links');
    db.pragma('user_version = 1');
    db.close();

    web.resetStats();
    const reopened = CrawlStore.open(file);
    const [report] = await crawlAndIndex({ sources, store: reopened, indexUid });
    reopened.close();
    await web.close();
    expect(requestsFor(web, '/actualites.html').map((request) => request.headers['if-none-match'])).toEqual([
      undefined,
    ]);
    expect(requestsFor(web, '/actualites/marche.html')).toHaveLength(1);
    expect(report).toMatchObject({ unchanged: 3, deleted: 0 });
    expect(await indexedUrls(client, indexUid)).toHaveLength(3);
  });
});

describe('a host whose robots.txt answers 503', () => {
  it('is skipped: no page requested, reported incomplete, and none of its documents deleted', async () => {
    const indexUid = uniqueIndexUid('robots-503');
    let robotsDown = false;
    const web = await serveSite(
      new Map<string, FixtureRoute>([
        [
          '/robots.txt',
          () => (robotsDown ? textResponse('Indisponible', 503) : textResponse('User-agent: *\n')),
        ],
        ['/', page({ title: 'Accueil', links: ['/page.html'] })],
        ['/page.html', page({ title: 'Une page', paragraphs: ['Le texte de la page.'] })],
      ]),
    );
    const { store, file } = await tempCrawlStore();
    const settings = testCrawlSettings();
    const sources = [aSiteSource('fragile', web, { requestsPerSecond: 20 })];
    await crawlAndIndex({ sources, store, indexUid, settings });
    store.close();
    const before = await indexedUrls(client, indexUid);
    expect(before).toEqual([web.url('/'), web.url('/page.html')]);

    robotsDown = true;
    web.resetStats();
    const reopened = CrawlStore.open(file);
    const [report] = await crawlAndIndex({ sources, store: reopened, indexUid, settings });
    reopened.close();
    await web.close();

    expect(web.requests.map((request) => request.path)).toEqual(
      Array<string>(1 + settings.robotsRetryDelaysMs.length).fill('/robots.txt'),
    );
    expect(report?.incomplete).toMatch(/^robots\.txt unreachable/);
    expect(report?.deleted).toBe(0);
    expect(await indexedUrls(client, indexUid)).toEqual(before);
  });
});

describe('a host that answers 429 with Retry-After', () => {
  it('waits that long before any further request to the host', async () => {
    const indexUid = uniqueIndexUid('retry-after');
    const web = await serveSite(
      new Map<string, FixtureRoute>([
        ['/', page({ title: 'Accueil', links: ['/limite.html', '/a.html', '/b.html', '/c.html'] })],
        [
          '/limite.html',
          ({ attempt }) =>
            attempt === 1
              ? { status: 429, headers: { 'retry-after': '1' }, body: 'Trop de requêtes' }
              : page({ title: 'Limite', paragraphs: ['Page servie après une attente.'] }),
        ],
        ['/a.html', page({ title: 'A', paragraphs: ['Page A.'] })],
        ['/b.html', page({ title: 'B', paragraphs: ['Page B.'] })],
        ['/c.html', page({ title: 'C', paragraphs: ['Page C.'] })],
      ]),
    );
    const { store } = await tempCrawlStore();
    const [report] = await crawlAndIndex({
      sources: [aSiteSource('pressee', web, { requestsPerSecond: 20 })],
      store,
      indexUid,
    });
    store.close();
    await web.close();

    const requests = pageRequests(web);
    const tooMany = requests.find((request) => request.path === '/limite.html')!;
    const later = requests.filter((request) => request.at > tooMany.at);
    expect(later.length).toBeGreaterThan(0);
    for (const request of later) expect(request.at - tooMany.at).toBeGreaterThanOrEqual(950);
    expect(requestsFor(web, '/limite.html')).toHaveLength(2);
    expect(report).toMatchObject({ new: 5, errors: {} });
  });
});
