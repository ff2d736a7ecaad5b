import type { Meilisearch, Settings } from 'meilisearch';
import type { EmbedderSettings } from '../core/config.ts';
import { withStemmedSynonyms } from './french-stem.ts';
import { FRENCH_STOP_WORDS } from './french-stop-words.ts';
import { awaitTask } from './meili-task.ts';

/** Filters the API builds from validated values (never from user text). */
export const FILTERABLE_ATTRIBUTES = [
  'source.id',
  'source.kind',
  'territory.codes',
  'territory.level',
  'territory.sizeBracket',
  'themes',
  'type',
  'lang',
  'dateTs',
  // Projects (dataset rows) and "towns like mine": the size of the beneficiary's commune.
  'territory.population',
  'project.year',
  'project.scheme',
  'project.cost',
  'project.grant',
  // Promoted results (best bets): the pinned pages, searched with the request's own filters.
  'url',
] as const;

/**
 * The index settings live in code and are applied (idempotently) before every indexing run, by
 * `npm run reindex` and by `npm run index:settings`, so every environment ranks the same way.
 */
/** The one embedder the API searches with (api/meili-search.ts). */
export const EMBEDDER_NAME = 'default';

/**
 * What the embedder is given of a page unless told otherwise: its title and its one-sentence summary,
 * which say what the page is about (its body would be cut at Meilisearch's 400 bytes anyway).
 */
export const DEFAULT_DOCUMENT_TEMPLATE = '{{doc.title}}. {{doc.description}}';

export function buildIndexSettings(
  synonyms: Record<string, string[]>,
  embedder?: EmbedderSettings,
): Settings {
  return {
    // Semantic search when an embedder is configured; none otherwise, so that removing it from the
    // configuration removes it (and its vectors) from the index too.
    embedders: {
      [EMBEDDER_NAME]: embedder ? { documentTemplate: DEFAULT_DOCUMENT_TEMPLATE, ...embedder } : null,
    } as Settings['embedders'],
    // In order of weight: a match in the title beats one in the description, then in a heading, then
    // in the body. The description is the page's own one-sentence summary; headings are often generic
    // ("Conditions", "De quoi s'agit-il ?") or name the cases of a guided choice, so they weigh less
    // (measured, see eval/). Each field's French stems (see to-search-document.ts) come right after
    // it: the API searches with stems.
    searchableAttributes: [
      'title',
      'stemmed.title',
      'description',
      'stemmed.description',
      'headings',
      'stemmed.headings',
      'content',
      'stemmed.content',
      'source.name',
      'territory.name',
    ],
    filterableAttributes: [...FILTERABLE_ATTRIBUTES],
    sortableAttributes: ['dateTs', 'project.cost', 'project.grant'],
    // Text relevance first; the precomputed signals only break ties (see ranking-signals.ts).
    // `attribute` before `typo` and `proximity` (Meilisearch's default has it after both): a page
    // whose title has the words beats one that has them close together somewhere in a long body, and
    // one whose title has a synonym of them ("aide juridictionnelle" for "avocat gratuit") beats
    // pages that merely mention the words: Meilisearch scores a multi-word synonym like a typo.
    // `titleWords`: of equally relevant pages, the general one has the shorter title. Measured on
    // real pages, see eval/.
    rankingRules: [
      'words',
      'attribute',
      'typo',
      'proximity',
      'sort',
      'exactness',
      'titleWords:asc',
      'trust:desc',
      'freshness:desc',
      'formatRank:desc',
    ],
    stopWords: FRENCH_STOP_WORDS,
    synonyms: withStemmedSynonyms(synonyms),
    typoTolerance: {
      enabled: true,
      // Short words and numbers (INSEE codes, years, article numbers) must match exactly. One typo
      // from 7 letters (Meilisearch: 5): the query's words are stems, shorter than the words, and
      // with `attribute` ranked before `typo` a title one letter away from a short stem beat pages
      // that have the word itself ("cantine", stem "cantin", put "ex-cantonales" and "en continu"
      // above the pages about the school canteen). At 7, against 6 before, every judged set seen so
      // far moved up or stayed (MRR@10 0.690 → 0.695 on the 209 national queries; README, Relevance).
      minWordSizeForTypos: { oneTypo: 7, twoTypos: 10 },
      disableOnNumbers: true,
      disableOnAttributes: ['territory.codes'],
    },
    // The same page published by two sources (a press release relayed verbatim) shows once.
    distinctAttribute: 'contentHash',
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['fra'] }],
    faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: 1000 },
  };
}

/**
 * Creates the index if need be and applies the settings to it, waiting for Meilisearch to have done
 * so: what an indexing run, `npm run reindex` and `npm run index:settings` do. Applying settings
 * re-indexes every document and waits behind the tasks queued before it: minutes on a large index
 * or during a crawl. The API never calls this (api/index-preparation.ts).
 */
export async function ensureIndex(client: Meilisearch, indexUid: string, settings: Settings): Promise<void> {
  if (!(await indexExists(client, indexUid))) {
    await awaitTask(client, client.createIndex(indexUid, { primaryKey: 'id' }));
  }
  await awaitTask(client, client.index(indexUid).updateSettings(settings));
}

/**
 * Creates the index with the settings in code when it does not exist; leaves an existing index's
 * settings alone: a crawl must not change how the live index ranks (nor wait behind a settings
 * task re-indexing everything). Settings reach a live index through `npm run reindex` or
 * `npm run index:settings`.
 */
export async function createIndexIfMissing(
  client: Meilisearch,
  indexUid: string,
  settings: Settings,
): Promise<void> {
  if (await indexExists(client, indexUid)) return;
  await ensureIndex(client, indexUid, settings);
}

/** Whether the index exists; a read, not a task, so it answers at once even while the queue is busy. */
export async function indexExists(client: Meilisearch, indexUid: string): Promise<boolean> {
  return client
    .index(indexUid)
    .getRawInfo()
    .then(() => true)
    .catch((error: unknown) => {
      if ((error as { cause?: { code?: string } }).cause?.code === 'index_not_found') return false;
      throw error;
    });
}
