import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { silentLogger } from '../core/logger.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { aSource } from './builders/source-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

// A long question whose rarest word ("fils") is an everyday word the answer does not use.
const QUESTION = 'mon fils est harcelé par des élèves de sa classe';
const ANSWER = 'https://www.frontignan.fr/harcelement-scolaire';

const client = testMeiliClient();
const indexUid = uniqueIndexUid('long-query');
const resources = await loadIndexerResources();
const app = createApp({ client, indexUid, sources: [aSource()], resources, log: silentLogger() });
const search = async (query: string) => {
  const response = await app.request(`/v1/search?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    hits: { url: string }[];
    totalHits: number;
    facets?: Record<string, Record<string, number>>;
  };
};
const urlsOf = (body: { hits: { url: string }[] }) => body.hits.map((hit) => hit.url);

beforeAll(async () => {
  await ensureIndex(client, indexUid, resources.settings);
  const about = (slug: string, title: string, content: string, themes = ['education']) =>
    aSearchDocument({ url: `https://www.frontignan.fr/${slug}`, title, description: title, content, themes });
  await indexDocuments(client, indexUid, [
    about(
      'harcelement-scolaire',
      'Harcèlement scolaire',
      'Un élève harcelé par d’autres élèves de sa classe peut être protégé.',
    ),
    // The only pages that say "fils": nothing of harassment at school.
    about('heritage', 'Succession : la part du fils', 'Le fils hérite de ses parents.', ['justice']),
    about('pension', 'Pension alimentaire', 'Le père verse une pension à son fils majeur.', ['justice']),
    // Pages with some of the other words, each of which is then more common than "fils".
    about('harcelement-travail', 'Harcèlement au travail', 'Un salarié harcelé par son employeur.', [
      'emploi',
    ]),
    about('harcelement-rue', 'Harcèlement de rue', 'Le harcèlement dans la rue est puni.', ['justice']),
    about('classes-decouverte', 'Classes de découverte', 'Les élèves partent en classe verte.'),
    about('conseil-de-classe', 'Conseil de classe', 'Les délégués des élèves siègent au conseil.'),
    about('cantine', 'Cantine scolaire', 'Les élèves déjeunent à la cantine.'),
  ]);
});

describe('a long question', () => {
  it('finds the page that has all its words but one, when that one is an everyday word it does not use', async () => {
    expect(urlsOf(await search(`q=${encodeURIComponent(QUESTION)}`))[0]).toBe(ANSWER);
  });

  it('pages through one ranking: page 2 follows page 1 without repeating it', async () => {
    const q = `q=${encodeURIComponent(QUESTION)}`;
    const all = urlsOf(await search(`${q}&hitsPerPage=4`));
    const first = urlsOf(await search(`${q}&hitsPerPage=2&page=1`));
    const second = urlsOf(await search(`${q}&hitsPerPage=2&page=2`));
    expect([...first, ...second]).toEqual(all);
  });

  it('counts facet values and totals over the pages it finds', async () => {
    const body = await search(`q=${encodeURIComponent(QUESTION)}&facets=theme&hitsPerPage=50`);
    expect(body.totalHits).toBe(body.hits.length);
    const counted = Object.values(body.facets?.theme ?? {}).reduce((sum, count) => sum + count, 0);
    expect(counted).toBe(body.hits.length);
  });

  it('is still filtered like any search', async () => {
    const body = await search(`q=${encodeURIComponent(QUESTION)}&theme=education`);
    expect(urlsOf(body)[0]).toBe(ANSWER);
    for (const url of urlsOf(body)) expect(['heritage', 'pension']).not.toContain(url.split('/').pop());
  });
});
