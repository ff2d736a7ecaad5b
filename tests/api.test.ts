import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../core/logger.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { aSearchDocument, FRONTIGNAN } from './builders/search-document-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const client = testMeiliClient();
const indexUid = uniqueIndexUid('api');
const sources = [
  aSource(),
  aSource({ id: 'tarbes', name: 'Tarbes', url: 'https://www.tarbes.fr/', territory: 'commune:65440' }),
  aSource({ id: 'hidden', url: 'https://hidden.example/', enabled: false }),
];
const resources = await loadIndexerResources();
const app = createApp({ client, indexUid, sources, log: silentLogger(), resources });
const getJson = async (path: string) => {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  await ensureIndex(client, indexUid, resources.settings);
  await indexDocuments(client, indexUid, [
    aSearchDocument(),
    aSearchDocument({
      url: 'https://www.tarbes.fr/cantine',
      title: 'Restauration scolaire',
      description: '',
      content: 'Menus de la cantine <script>alert("x")</script> & tarifs du périscolaire.',
      source: { id: 'tarbes', name: 'Tarbes', kind: 'collectivite' },
      territory: { ...FRONTIGNAN, code: 'commune:65440', name: 'Tarbes', codes: ['commune:65440'] },
    }),
  ]);
});

describe('GET /v1/search', () => {
  it('finds a page with its source, territory and a highlighted snippet', async () => {
    const { status, body } = await getJson('/v1/search?q=pistes%20cyclables');
    expect(status).toBe(200);
    expect(body).toMatchObject({ query: 'pistes cyclables', page: 1, hitsPerPage: 10, totalHits: 1 });
    expect(body.hits).toEqual([
      expect.objectContaining({
        url: 'https://www.frontignan.fr/actualites/plan-velo.html',
        title: 'Plan vélo communal',
        source: { id: 'frontignan', name: 'Frontignan', kind: 'collectivite' },
        territory: { code: 'commune:34108', name: 'Frontignan', level: 'commune' },
        snippet: expect.stringContaining('<mark>pistes</mark> <mark>cyclables</mark>') as unknown,
      }),
    ]);
  });

  it('escapes markup found in page text, keeping only <mark>', async () => {
    const { body } = await getJson('/v1/search?q=cantine');
    const [hit] = body.hits as { snippet: string }[];
    expect(hit?.snippet).toContain('<mark>cantine</mark>');
    expect(hit?.snippet).toContain('&lt;script&gt;');
    expect(hit?.snippet).not.toContain('<script>');
  });

  it('pages through results', async () => {
    const { body } = await getJson('/v1/search?q=&hitsPerPage=1&page=2');
    expect(body).toMatchObject({ page: 2, hitsPerPage: 1, totalHits: 2 });
    expect(body.hits).toHaveLength(1);
  });

  it.each([
    ['page=0', 'page'],
    ['hitsPerPage=51', 'hitsPerPage'],
    ['hitsPerPage=ten', 'hitsPerPage'],
    ['page=100&hitsPerPage=50', 'page'],
    [`q=${'a'.repeat(501)}`, 'q'],
    ['filter=source.id%3Dx', 'filter'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const { status, body } = await getJson(`/v1/search?${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'invalid_parameters',
      details: expect.arrayContaining([expect.objectContaining({ parameter })]) as unknown,
    });
  });

  it('answers 503 in JSON when Meilisearch is unreachable', async () => {
    const down = createMeiliClient('http://127.0.0.1:9', 'key');
    const response = await createApp({
      client: down,
      indexUid,
      sources,
      log: silentLogger(),
      resources,
    }).request('/v1/search?q=x');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'search_engine_unavailable' } });
  });
});

describe('GET /v1/sources', () => {
  it('lists the enabled sources with their territory and document count, without crawl rules', async () => {
    const { body } = await getJson('/v1/sources');
    expect(body.sources).toEqual([
      {
        id: 'frontignan',
        name: 'Frontignan',
        kind: 'collectivite',
        url: 'https://www.frontignan.fr/',
        territory: { code: 'commune:34108', name: 'Frontignan', level: 'commune' },
        documents: 1,
        lastCrawl: null,
      },
      {
        id: 'tarbes',
        name: 'Tarbes',
        kind: 'collectivite',
        url: 'https://www.tarbes.fr/',
        territory: { code: 'commune:65440', name: 'Tarbes', level: 'commune' },
        documents: 1,
        lastCrawl: null,
      },
    ]);
  });
});

describe('health', () => {
  it('says alive on /healthz and ready on /readyz when Meilisearch answers', async () => {
    expect((await getJson('/healthz')).status).toBe(200);
    expect(await getJson('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('says not ready, within a second, when Meilisearch is unreachable', async () => {
    const down = createMeiliClient('http://127.0.0.1:9', 'key');
    const started = Date.now();
    const response = await createApp({
      client: down,
      indexUid,
      sources,
      log: silentLogger(),
      resources,
    }).request('/readyz');
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('errors and documentation', () => {
  it('answers an unknown route with a JSON 404', async () => {
    expect(await getJson('/v2/nothing')).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'No route for GET /v2/nothing' } },
    });
  });

  it('publishes an OpenAPI 3.1 description of the search', async () => {
    const { body } = await getJson('/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths as object)).toEqual(expect.arrayContaining(['/v1/search', '/v1/sources']));
  });
});

describe('snippets', () => {
  it('marks whole words of every form of a searched word, and nothing inside a word', async () => {
    const { body } = await getJson('/v1/search?q=piste%20cyclable');
    const [hit] = body.hits as { snippet: string }[];
    expect(hit?.snippet).toContain('<mark>pistes</mark> <mark>cyclables</mark>');
    expect(hit?.snippet).not.toMatch(/<\/mark>\p{L}/u);
  });
});
