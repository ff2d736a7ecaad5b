import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PartnerDirectory } from '../api/partner-directory.ts';
import { RateLimiter } from '../api/rate-limiter.ts';
import { SearchCache } from '../api/search-cache.ts';
import { PartnerSchema } from '../core/partner.ts';
import { countError, emptyReport } from '../crawler/crawl-report.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { saveCrawlReports } from '../workflow/crawl-report-file.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { aTownPage } from './builders/town-page.ts';
import { type AdminWorld, anAdminWorld, siteEntry } from './support/admin-world.ts';
import { parseMetrics, sampleValue } from './support/prometheus-text.ts';
import { servedPerTest } from './support/served-sites.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const METRICS_TOKEN = 'metrics-token-for-prometheus-0123';
const client = testMeiliClient();
const indexUid = uniqueIndexUid('metrics');
const DOCUMENTS = 3;
const partner = PartnerSchema.parse({
  id: 'petit-portail',
  name: 'Petit portail',
  key: 'pk_petit_portail_012345',
  origins: ['https://portail.example'],
  rateLimitPerMinute: 1,
});

beforeAll(async () => {
  const resources = await loadIndexerResources();
  await ensureIndex(client, indexUid, resources.settings);
  await indexDocuments(
    client,
    indexUid,
    Array.from({ length: DOCUMENTS }, (_, n) =>
      aSearchDocument({ url: `https://www.frontignan.fr/velo-${n}`, title: `Vélo en ville, épisode ${n}` }),
    ),
  );
});

/** The public API as npm start serves it: a cache, a rate limit, a partner, and METRICS_TOKEN set. */
function anAppWithMetrics(perMinute = 100) {
  return anApp(client, indexUid, {
    cache: new SearchCache(),
    // A frozen clock: nothing is given back between requests, however slow the machine.
    rateLimiter: new RateLimiter({ perMinute, now: () => 0 }),
    partners: new PartnerDirectory([partner], { now: () => 0 }),
    metricsToken: METRICS_TOKEN,
  });
}

async function scrape(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }) {
  const response = await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

describe('/metrics', () => {
  it('does not exist when no METRICS_TOKEN is configured', async () => {
    const app = await anApp(client, indexUid);

    const response = await app.request('/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });

    expect(response.status).toBe(404);
  });

  it('refuses a scrape without the token or with another one', async () => {
    const app = await anAppWithMetrics();

    const without = await app.request('/metrics');
    const wrong = await app.request('/metrics', {
      headers: { Authorization: 'Bearer not-the-metrics-token' },
    });

    for (const refused of [without, wrong]) {
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await refused.text()).not.toContain('pas_');
    }
  });

  it("counts and times each route's requests by its pattern, not by the path asked", async () => {
    const app = await anAppWithMetrics();

    for (const q of ['vélo', 'cantine', 'piscine'])
      expect((await app.request(`/v1/search?q=${q}`)).status).toBe(200);
    await app.request('/v1/documents/one-id');
    await app.request('/v1/documents/another-id');
    const metrics = await scrape(app);

    const search = { method: 'GET', route: '/v1/search', status: '200' };
    expect(sampleValue(metrics, 'pas_http_requests_total', search)).toBe(3);
    expect(sampleValue(metrics, 'pas_http_request_duration_seconds_count', search)).toBe(3);
    expect(sampleValue(metrics, 'pas_http_request_duration_seconds_bucket', { ...search, le: '+Inf' })).toBe(
      3,
    );
    expect(sampleValue(metrics, 'pas_http_requests_total', { route: '/v1/documents/:id' })).toBe(2);
    const routes = new Set(metrics.map((sample) => sample.labels.route).filter(Boolean));
    expect([...routes].some((route) => route!.includes('one-id'))).toBe(false);
    // Each search that reached Meilisearch was timed.
    expect(sampleValue(metrics, 'pas_search_duration_seconds_count')).toBe(3);
  });

  it('counts a repeated search as a cache hit, and Meilisearch is searched once', async () => {
    const app = await anAppWithMetrics();

    await app.request('/v1/search?q=vélo');
    await app.request('/v1/search?q=vélo');
    const metrics = await scrape(app);

    expect(sampleValue(metrics, 'pas_search_cache_requests_total', { result: 'miss' })).toBe(1);
    expect(sampleValue(metrics, 'pas_search_cache_requests_total', { result: 'hit' })).toBe(1);
    expect(sampleValue(metrics, 'pas_search_duration_seconds_count')).toBe(1);
  });

  it("counts the requests refused by the rate limit, apart for a partner's key", async () => {
    const app = await anAppWithMetrics(2);

    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await app.request('/v1/search?q=vélo')).status);
    const keyed = () =>
      app.request(`/v1/search?q=vélo&key=${partner.key}`, { headers: { Origin: 'https://portail.example' } });
    statuses.push((await keyed()).status, (await keyed()).status);
    const metrics = await scrape(app);

    expect(statuses).toEqual([200, 200, 429, 200, 429]);
    expect(sampleValue(metrics, 'pas_rate_limited_requests_total', { counted_by: 'address' })).toBe(1);
    expect(sampleValue(metrics, 'pas_rate_limited_requests_total', { counted_by: 'partner_key' })).toBe(1);
    expect(sampleValue(metrics, 'pas_http_requests_total', { route: '/v1/search', status: '429' })).toBe(2);
  });

  it('says how many documents the index holds', async () => {
    const app = await anAppWithMetrics();

    const metrics = await scrape(app);

    expect(sampleValue(metrics, 'pas_index_documents')).toBe(DOCUMENTS);
    expect(sampleValue(metrics, 'pas_index_raw_document_bytes')).toBeGreaterThan(0);
    expect(sampleValue(metrics, 'pas_index_indexing')).toBe(0);
  });
});

describe('/metrics with the admin side', () => {
  const serve = servedPerTest();
  const worlds: AdminWorld[] = [];
  afterEach(async () => {
    await Promise.all(worlds.splice(0).map((world) => world.close()));
  });

  async function aCrawledWorld() {
    const site = await serve(
      new Map([
        [
          '/',
          htmlResponse(aTownPage({ title: 'Accueil zorglub', paragraphs: ['Bienvenue.'], links: ['/a'] })),
        ],
        [
          '/a',
          htmlResponse(
            aTownPage({ title: 'Cantine zorglub', paragraphs: ['La cantine sert des repas bio.'] }),
          ),
        ],
      ]),
    );
    const world = await anAdminWorld(`sources:\n${siteEntry('premiere', site.origin)}`, {
      metricsToken: METRICS_TOKEN,
    });
    worlds.push(world);
    await world.crawl();
    return world;
  }

  it('lets an admin token with read rights scrape it', async () => {
    const world = await aCrawledWorld();

    const response = await world.asBob('GET', '/metrics');

    expect(response.status).toBe(200);
    expect(response.text).toContain('pas_index_documents');
  });

  it('shows what was indexed, what waits in the store, and the recrawls running', async () => {
    const world = await aCrawledWorld();

    const metrics = await scrape(world.app);

    expect(sampleValue(metrics, 'pas_index_documents')).toBe(await world.documentsOf('premiere'));
    expect(sampleValue(metrics, 'pas_index_documents')).toBe(2);
    expect(sampleValue(metrics, 'pas_store_pending_documents')).toBe(0);
    expect(sampleValue(metrics, 'pas_store_held_deletions')).toBe(0);
    expect(sampleValue(metrics, 'pas_store_quarantined_documents')).toBe(0);
    expect(sampleValue(metrics, 'pas_recrawl_jobs_running')).toBe(0);
  });

  it("shows each source's last crawl from the reports on disk, the newest one as soon as it is written", async () => {
    const world = await aCrawledWorld();

    const afterCrawl = await scrape(world.app);
    const later = emptyReport('premiere', new Date(Date.now() + 60_000));
    later.fetched = 7;
    countError(later, 'http-500', 'http://example/a', 'server error');
    countError(later, 'timeout', 'http://example/b', 'too slow');
    await saveCrawlReports(world.admin.reportsDir, [later], new Date(Date.now() + 60_000));
    const afterReport = await scrape(world.app);

    // The crawl requested the home page, the other page, robots.txt and a sitemap at least.
    expect(sampleValue(afterCrawl, 'pas_crawl_last_fetched', { source: 'premiere' })).toBeGreaterThanOrEqual(
      2,
    );
    expect(sampleValue(afterCrawl, 'pas_crawl_last_errors', { source: 'premiere' })).toBe(0);
    expect(sampleValue(afterReport, 'pas_crawl_last_fetched', { source: 'premiere' })).toBe(7);
    expect(sampleValue(afterReport, 'pas_crawl_last_errors', { source: 'premiere' })).toBe(2);
    expect(sampleValue(afterReport, 'pas_crawl_last_started_timestamp_seconds', { source: 'premiere' })).toBe(
      Date.parse(later.startedAt) / 1000,
    );
  });
});
