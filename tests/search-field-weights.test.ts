import { beforeAll, describe, expect, it } from 'vitest';
import { searchDocuments } from '../api/search-documents.ts';
import { SearchParamsSchema } from '../api/search-params.ts';
import { NATIONAL_SOURCE } from '../eval/eval-corpus.ts';
import { aRawPage } from './builders/raw-page-builder.ts';
import { indexPages } from './support/index-pages.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

/**
 * Where the words of a query are found decides the order of otherwise equal pages: the title first,
 * then the page's one-sentence summary (description), then its headings, then its body.
 */
describe('the weight of the fields of a page', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('field-weights');
  const page = (slug: string, fields: { description: string; headings: string[]; text: string }) =>
    aRawPage({
      ...fields,
      url: `https://www.service-public.gouv.fr/particuliers/vosdroits/${slug}`,
      sourceId: NATIONAL_SOURCE.id,
      title: `Aide au logement ${slug}`,
      pageType: 'demarche',
    });
  const pages = [
    page('summary', {
      description: 'Une prime finance la rénovation énergétique de la résidence principale.',
      headings: ['Conditions', 'Démarche'],
      text: 'Le propriétaire dépose un dossier. Les travaux sont faits par un professionnel.',
    }),
    page('heading', {
      description: 'Un prêt sans intérêt pour le propriétaire de sa résidence principale.',
      headings: ['Rénovation énergétique', 'Démarche'],
      text: 'Le propriétaire dépose une demande. Un professionnel fait les travaux.',
    }),
    page('body', {
      description: 'Une aide du département pour le propriétaire de sa résidence principale.',
      headings: ['Conditions', 'Montant'],
      text: 'Le propriétaire dépose une demande pour la rénovation énergétique de sa maison.',
    }),
  ];
  const slugsFor = async (q: string) =>
    (await searchDocuments(client, indexUid, SearchParamsSchema.parse({ q }))).hits.map((hit) =>
      hit.url.slice(hit.url.lastIndexOf('/') + 1),
    );

  beforeAll(() => indexPages(client, indexUid, pages));

  it('ranks the page whose summary has the words above the one with them in a heading, then the body', async () => {
    expect(await slugsFor('rénovations énergétiques')).toEqual(['summary', 'heading', 'body']);
  });
});

/**
 * A page named by a synonym of the query ("aide juridictionnelle" for "avocat gratuit") is what the
 * user is after; Meilisearch scores a multi-word synonym like a typo, so without `attribute` before
 * `typo` any page that merely mentions the words in its body would come first.
 */
describe('a synonym of the query in a title', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('synonym-title');
  const page = (slug: string, title: string, description: string, text: string) =>
    aRawPage({
      url: `https://www.service-public.gouv.fr/particuliers/vosdroits/${slug}`,
      sourceId: NATIONAL_SOURCE.id,
      title,
      description,
      headings: ['Démarche'],
      text,
      pageType: 'demarche',
    });

  beforeAll(() =>
    indexPages(client, indexUid, [
      page(
        'cassation',
        'Recours en cassation',
        'Le pourvoi en cassation contre une décision de justice.',
        'Le pourvoi se forme par un avocat aux Conseils. Une permanence permet de consulter un avocat gratuitement.',
      ),
      page(
        'aide-juridictionnelle',
        'Aide juridictionnelle',
        "L'État prend en charge les frais de justice des personnes aux ressources modestes.",
        'La demande se fait au moyen du formulaire. Les honoraires sont payés par l’État.',
      ),
    ]),
  );

  it('ranks the page it names above a page that merely mentions the words', async () => {
    const hits = (await searchDocuments(client, indexUid, SearchParamsSchema.parse({ q: 'avocat gratuit' })))
      .hits;
    expect(hits.map((hit) => hit.title)).toEqual(['Aide juridictionnelle', 'Recours en cassation']);
  });
});
