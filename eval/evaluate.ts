import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { searchDocuments } from '../api/search-documents.ts';
import { SearchParamsSchema } from '../api/search-params.ts';
import type { SemanticSearch } from '../api/semantic-search.ts';
import { silentLogger } from '../core/logger.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { documentBuilder, searchDocumentsOf } from '../indexer/document-builder.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { CRAWLED_AT, EVAL_SOURCES, type EvalCorpus } from './eval-corpus.ts';
import type { JudgedQuery } from './judged-queries.ts';
import { CUTOFF, type QueryScores, scoreQuery } from './metrics.ts';

/** Ranking signals (freshness) are computed against this date, so that runs are reproducible. */
const INDEXED_AT = new Date(CRAWLED_AT);

/** (a) The project's way: pages in a crawl store, `syncIndex` with the project's settings. */
export async function indexTheProjectWay(
  client: Meilisearch,
  indexUid: string,
  corpus: EvalCorpus,
  resources: IndexerResources,
): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'pas-eval-store-'));
  const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));
  try {
    const { runId } = store.beginRun(
      EVAL_SOURCES.map((source) => source.id),
      INDEXED_AT,
    );
    for (const page of corpus.pages) {
      store.enqueue(runId, { url: page.url, sourceId: page.sourceId, depth: 0, sitemapLastmod: null });
      store.recordVisit(
        page.url,
        { outcome: 'new', contentHash: page.contentHash, indexedUrl: page.url, fetchedAt: page.fetchedAt },
        { upsert: page },
      );
    }
    store.finishRun(runId, INDEXED_AT);
    await ensureIndex(client, indexUid, resources.settings);
    await syncIndex({
      documents: store.documents,
      client,
      indexUid,
      sources: EVAL_SOURCES,
      resources,
      log: silentLogger(),
      now: () => INDEXED_AT,
    });
  } finally {
    store.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * (b) Meilisearch as it comes: the same documents without what only the project's settings use (the
 * `stemmed` shadow fields, `titleWords`), default settings except the one filterable attribute the
 * territory queries need.
 */
export async function indexWithDefaults(
  client: Meilisearch,
  indexUid: string,
  corpus: EvalCorpus,
  resources: IndexerResources,
): Promise<void> {
  const toDocuments = documentBuilder({ sources: EVAL_SOURCES, resources, now: () => INDEXED_AT });
  const documents = searchDocumentsOf(
    toDocuments,
    corpus.pages.map((page) => ({ page, sourceId: page.sourceId })),
  ).map(
    ({
      stemmed: _stemmed,
      titleWords: _titleWords,
      ...document
    }): Omit<SearchDocument, 'stemmed' | 'titleWords'> => document,
  );
  await awaitTask(client, client.createIndex(indexUid, { primaryKey: 'id' }));
  await awaitTask(
    client,
    client.index(indexUid).updateSettings({ filterableAttributes: ['territory.codes'] }),
  );
  await awaitTask(client, client.index(indexUid).addDocuments(documents, { primaryKey: 'id' }));
}

/** How one configuration searches for a judged query: the URLs and titles of its first results. */
export type QueryStrategy = (
  client: Meilisearch,
  indexUid: string,
  query: JudgedQuery,
) => Promise<{ url: string; title: string }[]>;

/**
 * The API's way, through the API's own search (api/search-documents.ts): stemmed query, search
 * parameters, the variants of a long query, the filter built from `territory=<code>`, and the
 * semantic search when the index has an embedder.
 */
export function apiStrategy(options: { semantic?: SemanticSearch } = {}): QueryStrategy {
  return async (client, indexUid, query) =>
    (
      await searchDocuments(
        client,
        indexUid,
        SearchParamsSchema.parse({ q: query.q, territory: query.territory, hitsPerPage: CUTOFF }),
        undefined,
        options,
      )
    ).hits;
}

/** What a plain Meilisearch client sends. */
export const RAW_STRATEGY: QueryStrategy = async (client, indexUid, query) =>
  (
    await client.index(indexUid).search<{ url: string; title: string }>(query.q, {
      limit: CUTOFF,
      attributesToRetrieve: ['url', 'title'],
      // As the API builds it (api/search-filter.ts) from `territory=<code>`.
      ...(query.territory ? { filter: [[`territory.codes = "${query.territory}"`]] } : {}),
    })
  ).hits;

export interface QueryOutcome {
  query: JudgedQuery;
  /** Judged-query labels of the first results, best first. */
  ranked: string[];
  titles: string[];
  scores: QueryScores;
}

export async function runQueries(
  client: Meilisearch,
  indexUid: string,
  queries: readonly JudgedQuery[],
  corpus: EvalCorpus,
  strategy: QueryStrategy,
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) {
    const hits = await strategy(client, indexUid, query);
    // Without a territory filter, a local copy of a fiche is that fiche for the reader.
    const label = (url: string) =>
      query.territory ? corpus.labelOf(url) : corpus.labelOf(url).replace(/@.*$/, '');
    const ranked = hits.map((hit) => label(hit.url));
    outcomes.push({
      query,
      ranked,
      titles: hits.map((hit) => hit.title),
      scores: scoreQuery(ranked, query.relevant),
    });
  }
  return outcomes;
}
