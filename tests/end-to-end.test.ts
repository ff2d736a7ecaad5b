import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { runCrawl } from '../workflow/run-crawl.ts';
import { type IndexerResources, loadIndexerResources } from '../indexer/indexer-resources.ts';
import { buildFicheSite, type FicheSite } from '../fixture-web/fiche-site.ts';
import { htmlResponse, redirectResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';

const client = testMeiliClient();
const indexUid = uniqueIndexUid('e2e');
let site: FicheSite;
let web: ServedSite;
let outside: ServedSite;
let sources: Source[];
let reports: CrawlReport[];
let resources: IndexerResources;

beforeAll(async () => {
  site = buildFicheSite({ count: 40 });
  web = await serveSite(site);
  // A site that is not on the whitelist, which the trusted site links and redirects to.
  outside = await serveSite(new Map([['/', htmlResponse('<h1>Pas une source de confiance</h1>')]]));
  const home = site.get('/')!;
  site.set('/', {
    ...home,
    body: `${String(home.body)}<a href="/vers-ailleurs">ailleurs</a><a href="${outside.origin}/">x</a>`,
  });
  site.set('/vers-ailleurs', redirectResponse(`${outside.origin}/`, 302));

  const file = await writeTempSourcesFile([
    {
      id: 'fiches',
      name: 'Fiches pratiques',
      kind: 'etat',
      url: `${web.origin}/`,
      territory: 'national',
      crawl: { requestsPerSecond: 50 },
    },
  ]);
  resources = await loadIndexerResources();
  sources = await loadSourcesFile(file, resources.territories);
  const { store } = await tempCrawlStore();
  ({ reports } = await runCrawl({
    sources,
    store,
    client,
    indexUid,
    settings: testCrawlSettings(),
    resources,
    log: silentLogger(),
  }));
  store.close();
});

afterAll(async () => {
  await web.close();
  await outside.close();
});

describe('from sources.yaml to a search hit', () => {
  it('crawls every page of the trusted site and reports it', () => {
    const pageCount = [...site.keys()].filter((path) => path === '/' || path.endsWith('.html')).length;
    expect(reports).toEqual([expect.objectContaining({ sourceId: 'fiches', new: pageCount, errors: {} })]);
    expect(reports[0]?.skipped.outOfScope).toBe(2); // the redirect to the outside site, and the link to it
  });

  it('finds a fiche first when searching for its title', async () => {
    const app = createApp({ client, indexUid, sources, resources, log: silentLogger() });
    for (const fiche of [site.fiches[3]!, site.fiches[27]!]) {
      const response = await app.request(`/v1/search?q=${encodeURIComponent(fiche.title)}`);
      const body = (await response.json()) as { hits: { url: string; source: { id: string } }[] };
      expect(body.hits[0]).toMatchObject({ url: web.url(fiche.path), source: { id: 'fiches' } });
    }
  });

  it('never sends a request to a site outside the whitelist, even through a redirect', () => {
    expect(web.requests.filter((request) => request.path === '/vers-ailleurs')).toHaveLength(1);
    expect(outside.requests).toEqual([]);
  });

  it('identifies itself with the configured user agent', () => {
    expect(new Set(web.requests.map((request) => request.headers['user-agent']))).toEqual(
      new Set([testCrawlSettings().userAgent]),
    );
  });
});
