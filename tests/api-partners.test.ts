import { beforeAll, describe, expect, it } from 'vitest';
import { PartnerDirectory } from '../api/partner-directory.ts';
import { RateLimiter } from '../api/rate-limiter.ts';
import type { SearchResult } from '../api/search-documents.ts';
import { type Partner, PartnerSchema } from '../core/partner.ts';
import type { DocumentTerritory } from '../core/search-document.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument, FRONTIGNAN } from './builders/search-document-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
const indexUid = uniqueIndexUid('partners');
const TARBES: DocumentTerritory = {
  code: 'commune:65440',
  level: 'commune',
  name: 'Tarbes',
  departement: { code: '65', name: 'Hautes-Pyrénées' },
  region: { code: '76', name: 'Occitanie' },
  population: 44399,
  sizeBracket: '10000-50000',
  codes: ['commune:65440', 'departement:65', 'region:76'],
};
const HERAULT_SITE = 'https://www.maires34.example';
const herault: Partner = PartnerSchema.parse({
  id: 'maires-herault',
  name: "Maires de l'Hérault",
  key: 'pk_maires34_0123456789',
  origins: [HERAULT_SITE],
  scope: { territories: ['departement:34'] },
});
/** A partner whose visitors share two searches a minute. */
const smallPortal: Partner = PartnerSchema.parse({
  id: 'petit-portail',
  name: 'Petit portail',
  key: 'pk_petit_portail_012345',
  origins: [HERAULT_SITE],
  rateLimitPerMinute: 2,
});
const sources = [
  aSource(),
  aSource({ id: 'tarbes', name: 'Tarbes', url: 'https://www.tarbes.fr/', territory: 'commune:65440' }),
];
const frontignanCantine = 'https://www.frontignan.fr/cantine';
let app: Awaited<ReturnType<typeof anApp>>;

beforeAll(async () => {
  const resources = await loadIndexerResources();
  await ensureIndex(client, indexUid, resources.settings);
  await indexDocuments(client, indexUid, [
    aSearchDocument({
      url: frontignanCantine,
      title: 'Cantine de Frontignan : des repas bio',
      territory: FRONTIGNAN,
    }),
    aSearchDocument({
      url: 'https://www.tarbes.fr/cantine',
      title: 'Cantine de Tarbes : la cuisine centrale',
      source: { id: 'tarbes', name: 'Tarbes', kind: 'collectivite' },
      territory: TARBES,
    }),
  ]);
  app = await anApp(client, indexUid, {
    sources,
    partners: new PartnerDirectory([herault, smallPortal], { now: () => 0 }),
    rateLimiter: new RateLimiter({ perMinute: 100, now: () => 0 }),
  });
});

const keyed = (query: string, origin: string | null = HERAULT_SITE) =>
  app.request(`/v1/search?key=${herault.key}&${query}`, { headers: origin ? { Origin: origin } : {} });
const urlsOf = async (response: Response) =>
  ((await response.json()) as SearchResult).hits.map((hit) => hit.url);

describe("a partner's key", () => {
  it('keeps every hit inside the scope, whatever filters the request names', async () => {
    for (const query of [
      'q=cantine',
      'q=cantine&territory=departement:65',
      'q=cantine&territory=national',
      'q=cantine&source=tarbes',
    ]) {
      const response = await keyed(query);
      expect(response.status, query).toBe(200);
      const urls = await urlsOf(response);
      expect(urls, query).not.toContain('https://www.tarbes.fr/cantine');
    }
    expect(await urlsOf(await keyed('q=cantine'))).toEqual([frontignanCantine]);
    // The same search without a key is the public one.
    expect(await urlsOf(await app.request('/v1/search?q=cantine'))).toHaveLength(2);
  });

  it('says which scope its answer was searched in, and counts facets inside it only', async () => {
    const body = (await (await keyed('q=cantine&facets=territory')).json()) as SearchResult & {
      scope: unknown;
    };
    expect(body.scope).toEqual({ partner: "Maires de l'Hérault", territories: ['departement:34'] });
    expect(Object.keys(body.facets?.territory ?? {})).not.toContain('commune:65440');
  });

  it('suggests titles of its scope only, and hides a document outside it', async () => {
    const suggest = await app.request(`/v1/suggest?q=cantine&key=${herault.key}`, {
      headers: { Origin: HERAULT_SITE },
    });
    const titles = ((await suggest.json()) as { suggestions: { title: string }[] }).suggestions.map(
      (s) => s.title,
    );
    expect(titles).toEqual(['Cantine de Frontignan : des repas bio']);
    const tarbesHit = ((await (await app.request('/v1/search?q=tarbes')).json()) as SearchResult).hits[0]!;
    expect((await app.request(`/v1/documents/${tarbesHit.id}?key=${herault.key}`)).status).toBe(404);
    expect((await app.request(`/v1/documents/${tarbesHit.id}`)).status).toBe(200);
  });

  it("lets a browser read the answer on the partner's own origins only", async () => {
    const allowed = await keyed('q=cantine');
    expect(allowed.headers.get('access-control-allow-origin')).toBe(HERAULT_SITE);
    expect(allowed.headers.get('vary')).toContain('Origin');
    const elsewhere = await keyed('q=cantine', 'https://another-site.example');
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
    // Without a key, the public API stays readable from any site.
    const open = await app.request('/v1/search?q=cantine', {
      headers: { Origin: 'https://another-site.example' },
    });
    expect(open.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is refused when no partner has it, naming the parameter', async () => {
    const response = await app.request('/v1/search?q=cantine&key=pk_nobody_has_this_key');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: 'unknown_partner_key', details: [{ parameter: 'key' }] },
    });
  });

  it("is limited to the partner's allowance, shared by its visitors, with Retry-After; the public keeps its own", async () => {
    const portal = (query: string, address: string) =>
      app.request(`/v1/search?key=${smallPortal.key}&${query}`, {
        headers: { Origin: HERAULT_SITE, 'X-Forwarded-For': address },
      });
    expect((await portal('q=repas', '203.0.113.1')).status).toBe(200);
    expect((await portal('q=menu', '203.0.113.2')).status).toBe(200);
    // A third visitor, another address: the partner's allowance is spent.
    const refused = await portal('q=cantine', '203.0.113.3');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('access-control-allow-origin')).toBe(HERAULT_SITE);
    // Another partner, and the public API, each keep their own allowance.
    expect((await keyed('q=repas')).status).toBe(200);
    expect((await app.request('/v1/search?q=repas')).status).toBe(200);
  });
});
