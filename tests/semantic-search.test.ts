import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NATIONAL_SOURCE } from '../eval/eval-corpus.ts';
import { EMBEDDER_NAME, ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createApiMeiliClient } from '../api/api-meili-client.ts';
import { SemanticSearch } from '../api/semantic-search.ts';
import { ensureSearchKey } from '../meili/search-key.ts';
import { anApp } from './builders/app-builder.ts';
import { aRawPage } from './builders/raw-page-builder.ts';
import { indexPages } from './support/index-pages.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { startToyEmbedder, type ToyEmbedder } from './support/toy-embedder.ts';

const CONCEPTS = [
  ['baignade', 'nager', 'plage', 'piscine'],
  ['vélo', 'cyclable', 'bicyclette'],
  ['logement', 'loyer', 'locataire'],
];

describe('semantic search, with an embedder configured (MEILI_EMBEDDER)', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('semantic');
  let embedder: ToyEmbedder;
  const page = (slug: string, title: string, description: string) =>
    aRawPage({
      url: `https://www.service-public.gouv.fr/particuliers/vosdroits/${slug}`,
      sourceId: NATIONAL_SOURCE.id,
      title,
      description,
      headings: [],
      text: description,
    });
  const titlesFor = async (q: string, semantic?: SemanticSearch) => {
    const app = await anApp(client, indexUid, semantic ? { semantic } : {});
    const response = await app.request(`/v1/search?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { hits: { title: string }[] }).hits.map((hit) => hit.title);
  };

  beforeAll(async () => {
    embedder = await startToyEmbedder(CONCEPTS);
    const resources = await loadIndexerResources({ embedder: embedder.settings });
    await indexPages(
      client,
      indexUid,
      [
        page(
          'baignade',
          'Surveillance des baignades',
          "Les plages et plans d'eau ouverts au public sont surveillés l'été.",
        ),
        page('velo', 'Plan vélo', 'Des pistes cyclables relient les quartiers.'),
        page('logement', 'Aide au logement', 'Une aide de la CAF pour payer son loyer.'),
      ],
      resources,
    );
  });

  afterAll(() => embedder.close());

  it('finds a page by meaning when it shares no word with the query', async () => {
    expect(await titlesFor('apprendre à nager')).not.toContain('Surveillance des baignades');
    expect((await titlesFor('apprendre à nager', new SemanticSearch(0.5)))[0]).toBe(
      'Surveillance des baignades',
    );
  });

  it("embeds each page's title and summary, and the query as typed rather than its stems", () => {
    expect(embedder.inputs).toContain(
      "Surveillance des baignades. Les plages et plans d'eau ouverts au public sont surveillés l'été.",
    );
    expect(embedder.inputs).toContain('apprendre à nager');
    expect(embedder.inputs).not.toContain('aprend nag');
  });

  it('keeps the page that has the words first', async () => {
    expect((await titlesFor('plan vélo', new SemanticSearch(0.5)))[0]).toBe('Plan vélo');
  });

  it('removes the embedder and its vectors when the configuration no longer has one', async () => {
    await ensureIndex(client, indexUid, (await loadIndexerResources()).settings);
    const embedders = await client.index(indexUid).getEmbedders();
    expect(embedders?.[EMBEDDER_NAME]).toBeUndefined();
    // Keyword search goes on.
    expect(await titlesFor('plan vélo')).toEqual(['Plan vélo']);
  });
});

describe('semantic search while the embedding service is down', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('semantic-down');
  let embedder: ToyEmbedder;

  beforeAll(async () => {
    embedder = await startToyEmbedder(CONCEPTS);
    const page = aRawPage({
      url: 'https://www.service-public.gouv.fr/particuliers/vosdroits/velo',
      sourceId: NATIONAL_SOURCE.id,
      title: 'Plan vélo',
      description: 'Des pistes cyclables relient les quartiers.',
    });
    await indexPages(client, indexUid, [page], await loadIndexerResources({ embedder: embedder.settings }));
    // Down after indexing; no settings or documents change after this (Meilisearch would wait for
    // the service, and its task queue is shared by every test file).
    await embedder.close();
  });

  it('answers with keyword search alone, and pauses semantic search, with the client npm start serves with', async () => {
    const semantic = new SemanticSearch(0.5);
    // Meilisearch tries to reach the service for ~10 s before it gives up: longer than the API's own
    // client waits for an answer.
    const serving = createApiMeiliClient(inject('meiliUrl'), await ensureSearchKey(client, indexUid));
    const app = await anApp(serving, indexUid, { semantic });
    const search = async () => {
      const response = await app.request('/v1/search?q=plan%20v%C3%A9lo');
      return {
        status: response.status,
        titles: ((await response.json()) as { hits?: { title: string }[] }).hits?.map((hit) => hit.title),
      };
    };
    expect(await search()).toEqual({ status: 200, titles: ['Plan vélo'] });
    expect(semantic.available).toBe(false);
    expect(await search()).toEqual({ status: 200, titles: ['Plan vélo'] });
  });
});

describe('semantic search configured before the index has its embedder', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('semantic-not-applied');

  beforeAll(async () => {
    // MEILI_EMBEDDER was just set: the API searches with it, but the settings that add it to the
    // index are applied only by `npm run index:settings` or `npm run reindex`.
    const page = aRawPage({
      url: 'https://www.service-public.gouv.fr/particuliers/vosdroits/velo',
      sourceId: NATIONAL_SOURCE.id,
      title: 'Plan vélo',
      description: 'Des pistes cyclables relient les quartiers.',
    });
    await indexPages(client, indexUid, [page], await loadIndexerResources());
  });

  it('answers with keyword search alone, and pauses semantic search', async () => {
    const semantic = new SemanticSearch(0.5);
    const app = await anApp(client, indexUid, { semantic });
    const response = await app.request('/v1/search?q=plan%20v%C3%A9lo');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { hits: { title: string }[] }).hits.map((hit) => hit.title)).toEqual([
      'Plan vélo',
    ]);
    expect(semantic.available).toBe(false);
  });
});

describe('pausing semantic search', () => {
  it('pauses it after a failure, for the time it was told, then tries again', () => {
    let now = 1_000;
    const semantic = new SemanticSearch(0.5, { pauseMs: 60_000, now: () => now });
    expect(semantic.available).toBe(true);
    semantic.pause();
    expect(semantic.available).toBe(false);
    now += 59_999;
    expect(semantic.available).toBe(false);
    now += 1;
    expect(semantic.available).toBe(true);
  });
});
