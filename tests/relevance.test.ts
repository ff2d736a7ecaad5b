import { beforeAll, describe, expect, it } from 'vitest';
import { prepareQuery, searchParameters } from '../api/query-text.ts';
import { searchDocuments } from '../api/search-documents.ts';
import { SearchParamsSchema } from '../api/search-params.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { nationalFichePages } from '../eval/eval-corpus.ts';
import type { RawPage } from '../core/raw-page.ts';
import { ficheCatalog } from '../fixture-web/fiche-catalog.ts';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import { aSiteSource } from './builders/source-builder.ts';
import { crawlAndIndex } from './support/crawl-and-index.ts';
import { storedPages } from './support/crawl-results.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { frenchStem, stemText, withStemmedSynonyms } from '../indexer/french-stem.ts';
import { indexPages } from './support/index-pages.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const stemsOf = (...words: string[]) => new Set(words.map(frenchStem));

describe('the French stemmer', () => {
  it('gives a singular and its plural, with or without accents, one stem', () => {
    expect(stemsOf('école', 'écoles', 'ecole', 'ECOLES')).toEqual(new Set(['ecol']));
    expect(stemsOf('social', 'sociaux', 'sociale', 'sociales')).toEqual(new Set(['social']));
    expect(stemsOf('travail', 'travaux')).toEqual(new Set(['travail']));
    expect(stemsOf('dangereux', 'dangereuse', 'dangereuses')).toEqual(new Set(['danger']));
    expect(stemsOf('public', 'publique', 'publiques')).toEqual(new Set(['public']));
  });

  it('meets a verb, its participles and the noun made from it', () => {
    expect(stemsOf('déclarer', 'déclaré', 'déclarée', 'déclarez', 'déclaration', 'déclarations').size).toBe(
      1,
    );
    expect(stemsOf('immatriculer', 'immatriculé', 'immatriculation').size).toBe(1);
    expect(stemsOf('renouveler', 'renouvelle', 'renouvellement').size).toBe(1);
    expect(stemsOf('loger', 'logement', 'logements').size).toBe(1);
    expect(stemsOf('payer', 'paie', 'paiement').size).toBe(1);
    expect(stemsOf('marier', 'mariée', 'mariage').size).toBe(1);
    expect(stemsOf('inscrire', 'inscription').size).toBe(1);
    expect(stemsOf('perdre', 'perds', 'perdu', 'perdue', 'perdus')).toEqual(new Set(['perd']));
  });

  it('knows the irregular nouns of a few everyday verbs, and no others', () => {
    // "permis perdu" must find "perte du permis", "conduire" the "conduite accompagnée".
    expect(stemsOf('perte', 'pertes', 'perdu', 'perdre')).toEqual(new Set(['perd']));
    expect(stemsOf('vente', 'ventes', 'vendre', 'vendu').size).toBe(1);
    expect(stemsOf('conduite', 'conduire').size).toBe(1);
    // Honest limits: a dictionary would know this one, a light stemmer does not.
    expect(frenchStem('location')).not.toBe(frenchStem('louer'));
  });

  it('keeps -oyer nouns and the employer apart from the words the -yer verb rule would make of them', () => {
    expect(frenchStem('loyer')).not.toBe(frenchStem('loi'));
    expect(stemsOf('loyer', 'loyers').size).toBe(1);
    expect(frenchStem('foyer')).not.toBe(frenchStem('foi'));
    // The employer is not the job: "mon employeur ne m'a pas payé" is not about finding work.
    expect(stemsOf('employeur', 'employeurs', 'employeuse', 'employeuses')).toEqual(new Set(['employeur']));
    expect(frenchStem('employeur')).not.toBe(frenchStem('emploi'));
    expect(stemsOf('payer', 'paie', 'paiement').size).toBe(1);
  });

  it('stays conservative with words that only look inflected', () => {
    for (const word of ['rsa', 'apl', 'caf', 'pacs', 'permis', 'avis', 'frais', 'parent', 'pouvoir']) {
      expect(frenchStem(word), word).toBe(word);
    }
    expect(frenchStem('pensions')).toBe('pension');
    expect(frenchStem('salaire')).toBe('salair');
    expect(frenchStem('F1050')).toBe('f1050');
    expect(frenchStem('2024')).toBe('2024');
  });

  it('stems a text without its stop words and elisions, keeping sentence ends', () => {
    expect(stemText("Certificat d'immatriculation. Qu'est-ce que la carte grise ?")).toBe(
      'certificat imatricul. cart gris',
    );
  });

  it('adds a stemmed key to every synonym, one-way entries staying one-way', () => {
    const setting = withStemmedSynonyms({
      'carte grise': ["certificat d'immatriculation"],
      "certificat d'immatriculation": ['carte grise'],
      pac: ['pompe à chaleur'],
    });
    expect(setting['cart gris']).toEqual(["certificat d'immatriculation"]);
    expect(setting['certificat imatricul']).toEqual(['carte grise']);
    expect(setting['carte grise']).toEqual(["certificat d'immatriculation"]);
    expect(setting['pac']).toEqual(['pompe à chaleur']);
    expect(setting['pomp chaleur']).toBeUndefined();
  });
});

describe('prepareQuery', () => {
  it('searches with the stems of the free words, stop words left out', () => {
    expect(prepareQuery('que faire si je perds mon permis de conduire')).toBe('perd permis condu');
    expect(prepareQuery('plan numérique écoles')).toBe('plan numeric ecol');
    // A negation is not a word a page is about.
    expect(prepareQuery("mon employeur ne m'a pas versé mon salaire")).toBe('employeur vers salair');
  });

  it('keeps "phrases" and -exclusions exactly as typed', () => {
    expect(prepareQuery('"carte grise" perdue -moto')).toBe('"carte grise" perd -moto');
    expect(prepareQuery('déclarations -"permis de conduire"')).toBe('declar -"permis de conduire"');
    expect(prepareQuery('scolaire -cantine')).toBe('scolair -cantine');
  });

  it('closes a phrase left open, as Meilisearch reads it, and drops a lone dash', () => {
    expect(prepareQuery('naissance "acte de naissance')).toBe('naisanc "acte de naissance"');
    expect(prepareQuery('cantine -')).toBe('cantin');
  });

  it('leaves a query of stop words only as it is', () => {
    expect(prepareQuery(' que faire ')).toBe('que faire');
  });

  it('asks Meilisearch to drop the most frequent words first', () => {
    expect(searchParameters('carte grise')).toEqual({ matchingStrategy: 'frequency' });
  });
});

describe('searching ~200 real service-public.fr fiches the API way', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('relevance');
  // The first 200 'particuliers' fiches, and the ones the assertions are about.
  const ANSWERS = ['F961', 'F1050', 'F1726', 'F10293', 'F1864', 'F24570', 'F1520', 'F18074'];
  const ids = [
    ...new Set([
      ...ficheCatalog('particuliers')
        .filter((fiche) => fiche.id.startsWith('F'))
        .slice(0, 200)
        .map((fiche) => fiche.id),
      ...ANSWERS,
    ]),
  ];
  const idOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  const search = async (q: string) =>
    (await searchDocuments(client, indexUid, SearchParamsSchema.parse({ q }), prepareQuery)).hits;
  const rawSearch = async (q: string) =>
    (await client.index(indexUid).search<SearchDocument>(q, { limit: 10 })).hits.map((hit) => idOf(hit.url));

  beforeAll(() => indexPages(client, indexUid, nationalFichePages(ids)));

  it('indexed every fiche with its stems', async () => {
    const { results } = await client.index(indexUid).getDocuments<SearchDocument>({ limit: 1000 });
    expect(results).toHaveLength(ids.length);
    const declaration = results.find((document) => idOf(document.url) === 'F961');
    expect(declaration?.stemmed?.title).toBe('declar naisanc');
  });

  it.each([
    // verb → noun in the title
    ['déclarer une naissance', 'F961'],
    // noun and plural → infinitive and singular in the title
    ["immatriculation des véhicules d'occasion", 'F1050'],
    // plural → singular in the title
    ['immatriculations de véhicules neufs', 'F10293'],
    ['inscriptions en maternelle', 'F1864'],
    ['cantines scolaires', 'F24570'],
    // an everyday word → the word the page uses (indexer/synonyms.yaml)
    ['je me suis fait arnaquer', 'F1520'],
    // an everyday phrase → the name of the scheme (indexer/synonyms.yaml)
    ['avocat gratuit', 'F18074'],
  ])('finds the page for %j in the first three', async (q, answer) => {
    const hits = await search(q);
    expect(
      hits.slice(0, 3).map((hit) => idOf(hit.url)),
      hits.map((hit) => `${idOf(hit.url)} ${hit.title}`).join('\n'),
    ).toContain(answer);
  });

  it('does better than the same words sent as typed', async () => {
    // As typed, "perdu" never meets the "perdue" of the lost registration certificate's page. (Since
    // one typo needs 7 letters, "immatriculation … véhicules" as typed also finds "immatriculer un
    // véhicule d'occasion" first: fewer stems one letter away from another word.)
    expect((await rawSearch('perdu carte grise'))[0]).not.toBe('F1726');
    expect(idOf((await search('perdu carte grise'))[0]!.url)).toBe('F1726');
  });

  it('honours a quoted phrase', async () => {
    const hits = await search('"carte grise" perdue');
    expect(hits.length).toBeGreaterThan(0);
    expect(idOf(hits[0]!.url)).toBe('F1726');
    const documents = await Promise.all(
      hits.map((hit) => client.index(indexUid).getDocument<SearchDocument>(hit.id)),
    );
    for (const document of documents) {
      const text = `${document.title}\n${document.description}\n${document.content}`.toLowerCase();
      expect(text, document.title).toContain('carte grise');
    }
  });

  it('honours a -word exclusion', async () => {
    const all = (await search('immatriculation véhicule')).map((hit) => idOf(hit.url));
    expect(all).toEqual(expect.arrayContaining(['F1050', 'F10293']));
    // Only the used-vehicle page speaks of a "cession" (the seller's declaration).
    const without = (await search('immatriculation véhicule -cession')).map((hit) => idOf(hit.url));
    expect(without).toContain('F10293');
    expect(without).not.toContain('F1050');
  });
});

describe("the README's example query, over the demo's pages", () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('cantine');
  let pages: RawPage[];
  const says = (text: string, word: string) =>
    new RegExp(`\\b${word}`, 'i').test(text.normalize('NFD').replace(/\p{M}/gu, ''));

  beforeAll(async () => {
    // The demo's own web (300 fiches of every kind), crawled as `npm run demo` crawls it.
    const web = await serveSite(buildFicheSite({ count: 300 }));
    const { store, file } = await tempCrawlStore();
    await crawlAndIndex({
      sources: [aSiteSource('demo', web)],
      store,
      indexUid,
      settings: testCrawlSettings({ liftPoliteness: true }),
    });
    store.close();
    await web.close();
    pages = [...storedPages(file).values()];
  }, 120_000);

  it('puts every page that says "cantine" before any page that merely looks like it (canton, continu)', async () => {
    const saying = pages.filter((page) => says(`${page.title} ${page.description} ${page.text}`, 'cantine'));
    expect(saying.length).toBeGreaterThan(3);
    const { hits } = await searchDocuments(
      client,
      indexUid,
      SearchParamsSchema.parse({ q: 'cantine', hitsPerPage: 50 }),
      prepareQuery,
    );
    const first = hits.slice(0, saying.length).map((hit) => hit.url);
    expect(first.sort()).toEqual(saying.map((page) => page.url).sort());
  });
});
