import { describe, expect, it } from 'vitest';
import type { FixtureRequest, FixtureResponse, FixtureSite } from '../fixture-web/fixture-route.ts';
import { htmlResponse, redirectResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { aClockAt } from './builders/clock.ts';
import { aTownPage } from './builders/town-page.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import { indexedDocuments, pageRequests, requestsFor } from './support/crawl-results.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { aSiteSource } from './builders/source-builder.ts';

const client = testMeiliClient();

const page = (title: string, text: string, extra: { links?: string[]; head?: string } = {}) =>
  htmlResponse(aTownPage({ title, paragraphs: [text], ...extra }));

function sitemap(site: ServedSite, lastmods: Record<string, string>): FixtureResponse {
  const urls = Object.entries(lastmods)
    .map(([path, lastmod]) => `<url><loc>${site.url(path)}</loc><lastmod>${lastmod}</lastmod></url>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls}</urlset>`,
  };
}

/** The page with an ETag, or a 304 to a request that has this version. */
function withEtag(etag: string, response: FixtureResponse, request: FixtureRequest): FixtureResponse {
  return request.headers['if-none-match'] === etag
    ? { status: 304, headers: { etag }, body: '' }
    : { ...response, headers: { ...response.headers, etag } };
}

/** A site, its store and index, crawled as `npm run crawl` would at the given instants. */
async function aCrawledSite(site: FixtureSite) {
  const web = await serveSite(site);
  const indexUid = uniqueIndexUid('revalidate');
  const { file } = await tempCrawlStore();
  const crawlAt = async (instant: string) => {
    web.resetStats();
    const store = CrawlStore.open(file);
    try {
      return reportOf(
        await crawlAndIndex({
          sources: [aSiteSource('mairie', web, { requestsPerSecond: 50 })],
          store,
          indexUid,
          now: aClockAt(instant),
        }),
        'mairie',
      );
    } finally {
      store.close();
    }
  };
  const textOf = async (path: string) =>
    (await indexedDocuments(client, indexUid)).find((document) => document.url === web.url(path))?.content;
  return { web, crawlAt, textOf, indexUid };
}

describe('a sitemap whose lastmod goes back in time', () => {
  it('refetches every page whose lastmod changed, even to a date before the last crawl', async () => {
    const site: FixtureSite = new Map();
    const { web, crawlAt, textOf } = await aCrawledSite(site);
    const paths = ['/p1.html', '/p2.html', '/p3.html', '/p4.html'];
    const lastmods = Object.fromEntries(paths.map((path) => [path, '2026-01-10T08:00:00+00:00']));
    let version = 1;
    site.set('/', page('Accueil', 'Accueil du site.', { links: paths }));
    site.set('/sitemap.xml', () => sitemap(web, lastmods));
    for (const path of paths)
      site.set(path, () => page(`Page ${path}`, `Texte version ${version} de ${path}.`));
    await crawlAt('2026-03-01T10:00:00Z');

    // The site changes two pages and backdates their lastmod (a publication date), still before our crawl.
    version = 2;
    lastmods['/p1.html'] = '2026-01-12T08:00:00+00:00';
    lastmods['/p2.html'] = '2026-01-11';
    const second = await crawlAt('2026-03-02T10:00:00Z');

    expect(await textOf('/p1.html')).toContain('version 2');
    expect(await textOf('/p2.html')).toContain('version 2');
    expect(requestsFor(web, '/p3.html')).toHaveLength(0);
    expect(requestsFor(web, '/p4.html')).toHaveLength(0);
    expect(second).toMatchObject({ changed: 2, settledBySitemap: 2 });
    await web.close();
  });
});

describe('a date-only lastmod', () => {
  it('does not vouch for a page fetched on that day, and does once that day is surely over', async () => {
    const site: FixtureSite = new Map();
    const { web, crawlAt, textOf } = await aCrawledSite(site);
    let text = 'Horaires du matin.';
    site.set('/', page('Accueil', 'Accueil du site.', { links: ['/horaires.html'] }));
    site.set('/sitemap.xml', () => sitemap(web, { '/horaires.html': '2026-03-05' }));
    site.set('/horaires.html', () => page('Horaires', text));
    await crawlAt('2026-03-05T10:00:00Z');

    // Changed the same afternoon: the lastmod, a date, stays the same.
    text = "Horaires de l'après-midi.";
    await crawlAt('2026-03-05T18:00:00Z');
    expect(requestsFor(web, '/horaires.html')).toHaveLength(1);
    expect(await textOf('/horaires.html')).toContain('après-midi');

    await crawlAt('2026-03-08T10:00:00Z');
    expect(requestsFor(web, '/horaires.html')).toHaveLength(1);
    const settled = await crawlAt('2026-03-09T10:00:00Z');
    expect(requestsFor(web, '/horaires.html')).toHaveLength(0);
    expect(settled.settledBySitemap).toBe(1);
    await web.close();
  });
});

describe('a page its sitemap keeps calling unchanged', () => {
  it('is revalidated with a conditional request once the revalidation period (7 days) is over', async () => {
    const site: FixtureSite = new Map();
    const { web, crawlAt } = await aCrawledSite(site);
    site.set('/', page('Accueil', 'Accueil du site.', { links: ['/tarifs.html'] }));
    site.set('/sitemap.xml', () => sitemap(web, { '/tarifs.html': '2026-01-10T08:00:00Z' }));
    site.set('/tarifs.html', (request) => withEtag('"v1"', page('Tarifs', 'Tarifs de la cantine.'), request));
    await crawlAt('2026-03-01T10:00:00Z');

    await crawlAt('2026-03-05T10:00:00Z');
    expect(requestsFor(web, '/tarifs.html')).toHaveLength(0);

    const later = await crawlAt('2026-03-09T10:00:00Z');
    const [revalidation] = requestsFor(web, '/tarifs.html');
    expect(revalidation?.headers['if-none-match']).toBe('"v1"');
    expect(later.notModified).toBeGreaterThanOrEqual(1);
    await web.close();
  });
});

describe('a recrawl of pages we hold validators for', () => {
  it('asks conditionally for noindex, duplicate and binary pages, and after a redirect, and keeps their outcome', async () => {
    const site: FixtureSite = new Map([
      [
        '/',
        page('Accueil', 'Accueil du site.', {
          links: ['/cache.html', '/copie.html', '/plan.png', '/ancien.html'],
        }),
      ],
      ['/original.html', page('Original', 'Le texte original de la délibération.')],
    ]);
    site.set('/cache.html', (request) =>
      withEtag(
        '"noindex"',
        page('Caché', 'Page cachée.', { head: '<meta name="robots" content="noindex">' }),
        request,
      ),
    );
    site.set('/copie.html', (request) =>
      withEtag(
        '"copie"',
        page('Copie', 'Une copie.', { head: '<link rel="canonical" href="/original.html">' }),
        request,
      ),
    );
    site.set('/plan.png', (request) =>
      withEtag(
        '"png"',
        {
          status: 200,
          headers: { 'content-type': 'image/png' },
          body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]),
        },
        request,
      ),
    );
    site.set('/ancien.html', redirectResponse('/nouveau.html', 301));
    site.set('/nouveau.html', (request) =>
      withEtag('"nouveau"', page('Nouveau', 'La nouvelle page du plan local.'), request),
    );
    const { web, crawlAt, indexUid } = await aCrawledSite(site);
    await crawlAt('2026-03-01T10:00:00Z');
    const before = (await indexedDocuments(client, indexUid)).map((document) => document.url).sort();

    await crawlAt('2026-03-02T10:00:00Z');

    const conditional = (path: string) =>
      requestsFor(web, path).map((request) => request.headers['if-none-match']);
    expect(conditional('/cache.html')).toEqual(['"noindex"']);
    expect(conditional('/copie.html')).toEqual(['"copie"']);
    expect(conditional('/plan.png')).toEqual(['"png"']);
    // The validators belong to the page the redirect leads to: sent to that hop, not to the first.
    expect(conditional('/ancien.html')).toEqual([undefined]);
    expect(conditional('/nouveau.html')).toEqual(['"nouveau"']);
    expect(
      pageRequests(web).every((request) => request.path !== '/plan.png' || request.headers['if-none-match']),
    ).toBe(true);
    expect((await indexedDocuments(client, indexUid)).map((document) => document.url).sort()).toEqual(before);
    expect(before).toContain(web.url('/original.html'));
    expect(before).toContain(web.url('/nouveau.html'));
    expect(before).not.toContain(web.url('/cache.html'));
    await web.close();
  });
});
