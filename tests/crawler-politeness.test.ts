import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { FixtureResponse, FixtureSite } from '../fixture-web/fixture-route.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { aTownPage } from './builders/town-page.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import { indexedUrls, requestsFor } from './support/crawl-results.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { aSiteSource } from './builders/source-builder.ts';

const client = testMeiliClient();

const page = (title: string, links: string[] = []) =>
  htmlResponse(aTownPage({ title, paragraphs: [`Le texte propre à la page ${title}.`], links }));

function sitemapOf(site: ServedSite, paths: readonly string[]): FixtureResponse {
  const urls = paths.map(
    (path) => `<url><loc>${site.url(path)}</loc><lastmod>2026-01-10T08:00:00Z</lastmod></url>`,
  );
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`,
  };
}

/** Milliseconds between the starts of consecutive requests the site received, whatever they were for. */
const gapsBetweenRequests = (site: ServedSite) =>
  site.requests.slice(1).map((request, index) => request.at - site.requests[index]!.at);

/** A `wait` that really waits and remembers how long it was asked to. */
function recordedWaits() {
  const waits: number[] = [];
  return {
    wait: (ms: number) => {
      waits.push(ms);
      return sleep(ms);
    },
    total: () => waits.reduce((sum, ms) => sum + ms, 0),
    longest: () => Math.max(0, ...waits),
  };
}

describe("a host's turn", () => {
  it('is taken by robots.txt, sitemaps and redirect hops, like any page request', async () => {
    const site: FixtureSite = new Map([
      ['/robots.txt', textResponse('User-agent: *\nCrawl-delay: 1\n')],
      ['/', page('Accueil', ['/ancien.html', '/vieux.html'])],
      ['/ancien.html', redirectResponse('/nouveau.html', 301)],
      ['/vieux.html', redirectResponse('/recent.html', 302)],
      ['/nouveau.html', page('Nouveau')],
      ['/recent.html', page('Récent')],
    ]);
    const web = await serveSite(site);
    site.set('/sitemap.xml', () => sitemapOf(web, ['/']));
    const { store } = await tempCrawlStore();
    await crawlAndIndex({
      sources: [aSiteSource('prudente', web, { requestsPerSecond: 20 })],
      store,
      indexUid: uniqueIndexUid('turns'),
    });
    store.close();
    await web.close();

    expect(web.requests.map((request) => request.path)).toEqual(
      expect.arrayContaining([
        '/robots.txt',
        '/sitemap.xml',
        '/ancien.html',
        '/nouveau.html',
        '/recent.html',
      ]),
    );
    for (const gap of gapsBetweenRequests(web)) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('is not taken by a page the sitemap settles: a recrawl of an unchanged site waits only for its requests', async () => {
    const paths = ['/', '/a.html', '/b.html', '/c.html', '/d.html', '/e.html'];
    const site: FixtureSite = new Map([
      ['/robots.txt', textResponse('User-agent: *\nCrawl-delay: 1\n')],
      ['/', page('Accueil', paths.slice(1))],
      ...paths.slice(1).map((path) => [path, page(`Page ${path}`)] as const),
    ]);
    const web = await serveSite(site);
    site.set('/sitemap.xml', () => sitemapOf(web, paths));
    const { store, file } = await tempCrawlStore();
    const indexUid = uniqueIndexUid('unchanged');
    await crawlAndIndex({
      sources: [aSiteSource('stable', web, { requestsPerSecond: 20 })],
      store,
      indexUid,
    });
    store.close();
    web.resetStats();

    const waits = recordedWaits();
    const reopened = CrawlStore.open(file);
    const report = reportOf(
      await crawlAndIndex({
        sources: [aSiteSource('stable', web, { requestsPerSecond: 20 })],
        store: reopened,
        indexUid,
        wait: waits.wait,
      }),
      'stable',
    );
    reopened.close();
    await web.close();

    expect(web.requests.map((request) => request.path)).toEqual(['/robots.txt', '/sitemap.xml']);
    expect(report).toMatchObject({ settledBySitemap: 6, unchanged: 6, fetched: 2 });
    // One turn of 1 s between the two requests; none for the six pages settled without one.
    expect(waits.total()).toBeLessThanOrEqual(1000);
  });

  it('honours a Crawl-delay up to the cap (CRAWL_MAX_DELAY_SECONDS), and says so', async () => {
    const site: FixtureSite = new Map([
      ['/robots.txt', textResponse('User-agent: *\nCrawl-delay: 120\n')],
      ['/', page('Accueil', ['/a.html'])],
      ['/a.html', page('Page A')],
    ]);
    const web = await serveSite(site);
    const waits = recordedWaits();
    const { store } = await tempCrawlStore();
    const report = reportOf(
      await crawlAndIndex({
        sources: [aSiteSource('exigeante', web, { requestsPerSecond: 20 })],
        store,
        indexUid: uniqueIndexUid('cap'),
        settings: testCrawlSettings({ maxCrawlDelaySeconds: 1 }),
        wait: waits.wait,
      }),
      'exigeante',
    );
    store.close();
    await web.close();

    expect(report.crawlDelay).toEqual({ asked: 120, honoured: 1 });
    expect(report.new).toBe(2);
    expect(waits.longest()).toBeLessThanOrEqual(1000);
    for (const gap of gapsBetweenRequests(web)) expect(gap).toBeGreaterThanOrEqual(950);
  });
});

describe('a source slower than its time budget', () => {
  it('stops at the budget, keeps its documents, and is continued by the next runs until done, each page requested once', async () => {
    const paths = Array.from({ length: 8 }, (_, n) => `/page-${n}.html`);
    const site: FixtureSite = new Map([
      ['/', page('Accueil', paths)],
      ...paths.map((path) => [path, page(`Page ${path}`)] as const),
    ]);
    const web = await serveSite(site);
    const source = aSiteSource('lente', web, { requestsPerSecond: 4 });
    const { file } = await tempCrawlStore();
    const indexUid = uniqueIndexUid('budget');
    const settings = testCrawlSettings({ sourceBudgetMs: 900 });
    const runs = [];
    for (let run = 0; run < 8; run++) {
      const store = CrawlStore.open(file);
      const report = reportOf(await crawlAndIndex({ sources: [source], store, indexUid, settings }), 'lente');
      store.close();
      runs.push(report);
      if (!report.incomplete) break;
    }
    await web.close();

    expect(runs.length).toBeGreaterThan(1);
    expect(runs[0]?.incomplete).toMatch(/time budget of .* reached: \d+ URLs left for the next run/);
    expect(runs.slice(1).every((report) => report.resumed)).toBe(true);
    expect(runs.reduce((sum, report) => sum + report.deleted, 0)).toBe(0);
    expect(await indexedUrls(client, indexUid)).toEqual(['/', ...paths].map((path) => web.url(path)).sort());
    for (const path of ['/', ...paths]) expect(requestsFor(web, path)).toHaveLength(1);
  });
});

describe('a run with a slow host and a fast one', () => {
  it('makes the fast host searchable while the slow one is still being crawled', async () => {
    const fast = await serveSite(
      new Map([
        ['/', page('Accueil rapide', ['/r1.html'])],
        ['/r1.html', page('Rapide un')],
      ]),
    );
    const slowPaths = ['/l1.html', '/l2.html', '/l3.html', '/l4.html', '/l5.html'];
    const slow = await serveSite(
      new Map([
        ['/robots.txt', textResponse('User-agent: *\nCrawl-delay: 1\n')],
        ['/', page('Accueil lent', slowPaths)],
        ...slowPaths.map((path) => [path, page(`Lent ${path}`)] as const),
      ]),
    );
    const indexUid = uniqueIndexUid('per-host');
    const { store } = await tempCrawlStore();
    let crawling = true;
    const crawl = crawlAndIndex({
      sources: [
        aSiteSource('rapide', fast, { requestsPerSecond: 20 }),
        aSiteSource('lente', slow, { requestsPerSecond: 20 }),
      ],
      store,
      indexUid,
    }).finally(() => (crawling = false));
    let fastFoundWhileCrawling = false;
    while (crawling) {
      const found = await indexedUrls(client, indexUid, 'rapide').catch(() => []);
      if (found.length === 2) {
        fastFoundWhileCrawling = crawling;
        break;
      }
      await sleep(100);
    }
    await crawl;
    store.close();
    await Promise.all([fast.close(), slow.close()]);

    expect(fastFoundWhileCrawling).toBe(true);
    expect(await indexedUrls(client, indexUid, 'lente')).toHaveLength(6);
  });
});

describe('a page too slow to extract', () => {
  it('fails as extraction-timeout, and the pages after it are still indexed', async () => {
    const paragraphs = Array.from(
      { length: 200_000 },
      (_, n) => `<p>Paragraphe ${n} de la page, avec des mots.</p>`,
    );
    const site: FixtureSite = new Map([
      ['/', page('Accueil', ['/lourde.html', '/a.html', '/b.html'])],
      [
        '/lourde.html',
        htmlResponse(`<html lang="fr"><body><main>${paragraphs.join('')}</main></body></html>`),
      ],
      ['/a.html', page('Page A')],
      ['/b.html', page('Page B')],
    ]);
    const web = await serveSite(site);
    const indexUid = uniqueIndexUid('stuck');
    const { store } = await tempCrawlStore();
    const report = reportOf(
      await crawlAndIndex({
        sources: [aSiteSource('lourde', web, { requestsPerSecond: 20, maxConcurrency: 1 })],
        store,
        indexUid,
        settings: testCrawlSettings({ extractWorkers: 1, extractTimeoutMs: 250 }),
      }),
      'lourde',
    );
    store.close();
    await web.close();

    expect(report.errors['extraction-timeout']).toBe(1);
    expect(report.errorSamples.map((sample) => sample.url)).toContain(web.url('/lourde.html'));
    expect(await indexedUrls(client, indexUid)).toEqual(
      ['/', '/a.html', '/b.html'].map((path) => web.url(path)).sort(),
    );
  });
});
