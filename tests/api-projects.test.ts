import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../api/search-documents.ts';
import { SourceSchema } from '../core/source.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { anApp } from './builders/app-builder.ts';
import { crawlAndIndex } from './support/crawl-and-index.ts';
import { DGCL_DATASET, dgclLines } from './support/dgcl-rows.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

/** 1,500 real projects of 2024 (Ain, Aisne, Allier…) and one whose title is hostile markup. */
describe('searching projects from a public dataset', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('projects');
  let web: ServedSite;
  let app: Awaited<ReturnType<typeof anApp>>;
  const HOSTILE =
    '2024;DETR;119;commune;210100418;001;COMMUNE DE BETTANT;01041;<script>alert(1)</script> Toiture <img src=x onerror=alert(2)>;1000,0;500,0;0,5';

  beforeAll(async () => {
    const { header, rows } = dgclLines(2024, 1500);
    const body = Buffer.from(`\uFEFF${[header, ...rows, HOSTILE].join('\r\n')}\r\n`);
    web = await serveSite(new Map([['/projets-2024.csv', { status: 200, headers: {}, body }]]));
    const source = SourceSchema.parse({
      id: 'dgcl',
      name: 'Projets financés (DGCL)',
      kind: 'etat',
      url: `${web.origin}/`,
      territory: 'national',
      dataset: { ...DGCL_DATASET, files: [{ url: web.url('/projets-2024.csv') }] },
    });
    const { store } = await tempCrawlStore();
    await crawlAndIndex({ sources: [source], store, indexUid });
    store.close();
    app = await anApp(client, indexUid, { sources: [source] });
  }, 300_000);
  afterAll(() => web.close());

  const search = async (query: string) => {
    const response = await app.request(`http://api.test/v1/search?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as SearchResult;
  };

  it('finds a project by its title words and shows its beneficiary, year, scheme and amounts', async () => {
    const result = await search('q=eglise&territory=commune:01041');
    const hit = result.hits.find((candidate) => candidate.title === "Renovation interieure de l'eglise");
    expect(hit).toMatchObject({
      type: 'projet',
      territory: { code: 'commune:01041' },
      project: { year: 2024, scheme: 'DETR', beneficiary: 'COMMUNE DE BETTANT', cost: 23060, grant: 4612 },
    });
    expect(hit?.url).toMatch(/^http:\/\/api\.test\/projets\/[A-Za-z0-9_-]+$/);
  });

  it('filters by scheme, year, cost and grant, counts them as facets, and sorts by amount', async () => {
    const result = await search(
      'type=projet&scheme=DETR&year=2024&cost=100000-&sort=cost&hitsPerPage=50&facets=scheme,year',
    );
    expect(result.hits.length).toBeGreaterThan(10);
    expect(
      result.hits.every((hit) => hit.project?.scheme === 'DETR' && (hit.project.cost ?? 0) >= 100_000),
    ).toBe(true);
    const costs = result.hits.map((hit) => hit.project!.cost!);
    expect(costs).toEqual([...costs].sort((left, right) => right - left));
    expect(result.facets?.year).toEqual({ '2024': result.totalHits });
    const small = await search('grant=-5000&sort=grant&hitsPerPage=50');
    expect(small.hits.every((hit) => (hit.project?.grant ?? Infinity) <= 5000)).toBe(true);
  });

  it('finds what towns like mine did: the same size bracket, in my département, without my own commune', async () => {
    // Bettant (01041): fewer than 2,000 inhabitants, in the Ain.
    const result = await search('like=commune:01041&hitsPerPage=50');
    expect(result.totalHits).toBeGreaterThan(20);
    for (const hit of result.hits) {
      expect(hit.territory.level).toBe('commune');
      expect(hit.territory.code).not.toBe('commune:01041');
      expect(hit.territory.code.startsWith('commune:01')).toBe(true);
    }
    const small = await search(
      'population=0-499&departement=01'.replace('departement=01', 'territory=departement:01'),
    );
    expect(small.totalHits).toBeGreaterThan(0);
  });

  it('refuses a range, a year or a commune it cannot use, naming the parameter', async () => {
    for (const [query, parameter] of [
      ['cost=beaucoup', 'cost'],
      ['grant=500-100', 'grant'],
      ['year=20x4', 'year'],
      ['like=commune:99999', 'like'],
      ['like=departement:01', 'like'],
    ] as const) {
      const response = await app.request(`/v1/search?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { details: { parameter: string }[] } };
      expect(body.error.details.map((detail) => detail.parameter)).toContain(parameter);
    }
  });

  it("links each project to a page of its own that cites the dataset, escaping the row's text", async () => {
    const hits = (await search('q=toiture&territory=commune:01041&type=projet')).hits;
    const hostile = hits.find((hit) => hit.title.includes('Toiture'));
    expect(hostile).toBeDefined();
    const page = await app.request(new URL(hostile!.url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Toiture');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('COMMUNE DE BETTANT');
    expect(html).toContain('1\u202f000 €');
    expect(html).toContain('Direction générale des collectivités locales (DGCL)');
    expect(html).toContain(`href="${web.url('/projets-2024.csv')}"`);
    expect((await app.request('/projets/nope-not-a-project')).status).toBe(404);
  });
});
