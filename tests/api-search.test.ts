import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../core/logger.ts';
import type { DocumentTerritory } from '../core/search-document.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { aSearchDocument, FRONTIGNAN } from './builders/search-document-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
const indexUid = uniqueIndexUid('api-search');
const resources = await loadIndexerResources();
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
const NATIONAL: DocumentTerritory = {
  code: 'national',
  level: 'national',
  name: 'France',
  departement: null,
  region: null,
  population: null,
  sizeBracket: null,
  codes: ['national'],
};
const sources = [
  aSource(),
  aSource({ id: 'tarbes', name: 'Tarbes', url: 'https://www.tarbes.fr/', territory: 'commune:65440' }),
  aSource({
    id: 'service-public',
    name: 'Service-Public',
    kind: 'etat',
    url: 'https://www.service-public.gouv.fr/',
    territory: 'national',
  }),
];
const app = createApp({ client, indexUid, sources, resources, log: silentLogger() });
const get = async (path: string, headers: Record<string, string> = {}) => {
  const response = await app.request(path, { headers });
  const text = await response.text();
  return {
    response,
    text,
    body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null) as Record<
      string,
      unknown
    >,
  };
};
const urlsOf = (body: Record<string, unknown>) => (body.hits as { url: string }[]).map((hit) => hit.url);

beforeAll(async () => {
  await ensureIndex(client, indexUid, resources.settings);
  await indexDocuments(client, indexUid, [
    aSearchDocument({
      url: 'https://www.frontignan.fr/ecole-numerique',
      title: 'École numérique : des tablettes pour les CM2',
      themes: ['numerique', 'education'],
      type: 'actualite',
      dateTs: Date.parse('2026-03-10') / 1000,
      publishedAt: '2026-03-10',
    }),
    aSearchDocument({
      url: 'https://www.tarbes.fr/deliberation-cantine.pdf',
      title: 'Délibération : tarifs de la cantine scolaire',
      content: 'Le conseil municipal fixe les tarifs de la restauration scolaire.',
      source: { id: 'tarbes', name: 'Tarbes', kind: 'collectivite' },
      territory: TARBES,
      themes: ['education'],
      type: 'document',
      dateTs: Date.parse('2024-06-01') / 1000,
      publishedAt: '2024-06-01',
      formatRank: 0,
    }),
    aSearchDocument({
      url: 'https://www.service-public.gouv.fr/carte-grise',
      title: "Certificat d'immatriculation d'un véhicule",
      content: "Demander le certificat d'immatriculation d'un véhicule neuf ou d'occasion.",
      source: { id: 'service-public', name: 'Service-Public', kind: 'etat' },
      territory: NATIONAL,
      themes: ['mobilite'],
      type: 'demarche',
      dateTs: Date.parse('2025-01-20') / 1000,
      publishedAt: '2025-01-20',
      trust: 3,
    }),
    aSearchDocument({
      url: 'https://www.frontignan.fr/budget-participatif',
      title: 'Budget participatif : votez pour vos projets',
      content: 'Les habitants proposent et votent des projets pour la ville.',
      themes: ['democratie-participative'],
      type: 'page',
      dateTs: Date.parse('2025-09-01') / 1000,
      publishedAt: '2025-09-01',
      territory: FRONTIGNAN,
    }),
  ]);
});

describe('search filters', () => {
  it('filters by territory, a région matching its communes', async () => {
    expect(urlsOf((await get('/v1/search?territory=region:76')).body)).toHaveLength(3);
    expect(urlsOf((await get('/v1/search?territory=departement:65')).body)).toEqual([
      'https://www.tarbes.fr/deliberation-cantine.pdf',
    ]);
    expect(urlsOf((await get('/v1/search?territory=national')).body)).toEqual([
      'https://www.service-public.gouv.fr/carte-grise',
    ]);
  });

  it('filters by source, kind, theme, type and size, and echoes the filters applied', async () => {
    const { body } = await get('/v1/search?theme=education&kind=collectivite&size=10000-50000');
    expect(urlsOf(body).sort()).toEqual([
      'https://www.frontignan.fr/ecole-numerique',
      'https://www.tarbes.fr/deliberation-cantine.pdf',
    ]);
    expect(body.filters).toEqual({ theme: ['education'], kind: ['collectivite'], size: ['10000-50000'] });
    expect(urlsOf((await get('/v1/search?source=tarbes,service-public&type=demarche')).body)).toEqual([
      'https://www.service-public.gouv.fr/carte-grise',
    ]);
  });

  it('filters by date range and sorts by date, newest first', async () => {
    const { body } = await get('/v1/search?from=2025-01-01&to=2025-12-31&sort=date');
    expect(urlsOf(body)).toEqual([
      'https://www.frontignan.fr/budget-participatif',
      'https://www.service-public.gouv.fr/carte-grise',
    ]);
  });

  it('counts values of the requested facets', async () => {
    const { body } = await get('/v1/search?facets=theme,type,source');
    expect(body.facets).toMatchObject({
      theme: { education: 2, numerique: 1 },
      type: { document: 1 },
      source: { frontignan: 2, tarbes: 1 },
    });
  });

  it('returns provenance with each hit: source, territory, themes, type and dates', async () => {
    const { body } = await get('/v1/search?q=cantine');
    expect((body.hits as unknown[])[0]).toMatchObject({
      source: { id: 'tarbes', name: 'Tarbes', kind: 'collectivite' },
      territory: { code: 'commune:65440', name: 'Tarbes', level: 'commune' },
      themes: ['education'],
      type: 'document',
      publishedAt: '2024-06-01',
    });
  });
});

describe('query syntax and vocabulary', () => {
  it('finds the administrative term from the lay one through synonyms', async () => {
    expect(urlsOf((await get('/v1/search?q=carte%20grise')).body)[0]).toBe(
      'https://www.service-public.gouv.fr/carte-grise',
    );
  });

  it('honours a -word exclusion', async () => {
    const all = urlsOf((await get('/v1/search?q=scolaire')).body);
    expect(all).toContain('https://www.tarbes.fr/deliberation-cantine.pdf');
    expect(urlsOf((await get('/v1/search?q=scolaire%20-cantine')).body)).not.toContain(
      'https://www.tarbes.fr/deliberation-cantine.pdf',
    );
  });
});

describe('rejecting bad and hostile input', () => {
  it.each([
    ['territory', 'commune:34108" OR source.id = "x'],
    ['territory', 'region:99'],
    ['source', 'nope'],
    ['source', 'a" OR 1=1'],
    ['theme', 'INJECT = 1'],
    ['kind', 'mairie'],
    ['type', 'page OR lang = en'],
    ['size', 'huge'],
    ['lang', 'fr OR 1'],
    ['from', '2024-13-40'],
    ['to', 'yesterday'],
    ['sort', 'dateTs:desc'],
    ['facets', 'territory.codes'],
    ['hitsPerPage', '-1'],
  ])('answers 400 naming %s for %j', async (parameter, value) => {
    const { response, body } = await get(`/v1/search?${parameter}=${encodeURIComponent(value)}`);
    expect(response.status).toBe(400);
    expect(
      (body.error as { details: { parameter: string }[] }).details.map((detail) => detail.parameter),
    ).toContain(parameter);
  });

  it('treats filter syntax in q as words, not as a filter', async () => {
    const { response, body } = await get(`/v1/search?q=${encodeURIComponent('source.id = "tarbes"')}`);
    expect(response.status).toBe(200);
    expect(body.filters).toEqual({});
  });
});

describe('the other endpoints', () => {
  it('suggests titles for the first letters typed', async () => {
    const { body } = await get('/v1/suggest?q=budg');
    expect(body.suggestions).toEqual([
      {
        title: 'Budget participatif : votez pour vos projets',
        url: 'https://www.frontignan.fr/budget-participatif',
      },
    ]);
  });

  it('returns one document by id, and a JSON 404 for an unknown or malformed one', async () => {
    const { body: search } = await get('/v1/search?q=budget');
    const id = (search.hits as { id: string }[])[0]!.id;
    const { response, body } = await get(`/v1/documents/${id}`);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      id,
      url: 'https://www.frontignan.fr/budget-participatif',
      territory: { code: 'commune:34108' },
    });
    expect(body).not.toHaveProperty('trust');
    expect(body).not.toHaveProperty('stemmed');
    expect((await get('/v1/documents/doesNotExist123')).response.status).toBe(404);
    expect((await get('/v1/documents/..%2F..%2Fkeys')).response.status).toBe(400);
  });

  it('lists themes with their document counts', async () => {
    const { body } = await get('/v1/themes');
    expect(body.themes).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug: 'education', documents: 2 })]),
    );
  });

  it('finds territories by name or code', async () => {
    const { body } = await get('/v1/territories?q=frontignan');
    expect((body.territories as { code: string }[])[0]).toMatchObject({
      code: 'commune:34108',
      name: 'Frontignan',
      departement: { code: '34' },
    });
    expect(((await get('/v1/territories?q=34')).body.territories as { code: string }[])[0]?.code).toBe(
      'departement:34',
    );
  });

  it('serves the search as an Atom feed, newest first, with escaped text', async () => {
    const { response, text } = await get('/v1/search.atom?theme=education');
    expect(response.headers.get('content-type')).toContain('application/atom+xml');
    expect(text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(text.indexOf('École numérique')).toBeLessThan(text.indexOf('Délibération'));
    expect(text).toContain('<title>Délibération : tarifs de la cantine scolaire</title>');
  });
});

describe('HTTP behaviour', () => {
  it('lets any site call it from a browser (CORS)', async () => {
    const { response } = await get('/v1/search?q=budget', { origin: 'https://partenaire.example' });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 304 to a client that already has the response (ETag)', async () => {
    const first = await get('/v1/themes');
    const etag = first.response.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await app.request('/v1/themes', { headers: { 'if-none-match': etag! } });
    expect(second.status).toBe(304);
  });

  it('answers 304 to a search whose results did not change, and 200 with a new tag when they differ', async () => {
    const first = await get('/v1/search?q=budget');
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await app.request('/v1/search?q=budget', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    const other = await app.request('/v1/search?q=cantine', { headers: { 'if-none-match': etag! } });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
  });

  it('compresses responses for clients that accept it, and says how long to cache them', async () => {
    const response = await app.request('/v1/search?q=budget', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe('public, max-age=30');
  });

  it('documents the API at /docs from the same schemas', async () => {
    const { response, text } = await get('/docs');
    expect(response.status).toBe(200);
    expect(text).toContain('GET /v1/search');
    expect(text).toContain('<code>territory</code>');
  });
});
