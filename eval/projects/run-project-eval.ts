/**
 * `npm run eval:projects [-- --reveal]`: relevance of the search on officials' queries over the
 * 99,026 projects of the DGCL lists (../shared/data/dgcl), against (b) Meilisearch's defaults on the
 * same documents and (c) BM25 on the same rows. Prints precision@10, nDCG@10 and recall@100.
 *
 * The judged queries (projects/judged-queries.yaml) were written and judged from the data alone, by
 * a session that saw neither the search code nor any result, and nobody tuning the search has read
 * them: they are held out. Without `--reveal` nothing that depends on them is printed; with it, the
 * figures only (never a query or its results). Reveal once, when tuning is over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Meilisearch } from 'meilisearch';
import { searchDocuments } from '../../api/search-documents.ts';
import { SearchParamsSchema } from '../../api/search-params.ts';
import { silentLogger } from '../../core/logger.ts';
import { documentIdForUrl, type SearchDocument } from '../../core/search-document.ts';
import { documentBuilder, searchDocumentsOf } from '../../indexer/document-builder.ts';
import { ensureIndex } from '../../indexer/index-settings.ts';
import { type IndexerResources, loadIndexerResources } from '../../indexer/indexer-resources.ts';
import { awaitTask } from '../../indexer/meili-task.ts';
import { syncIndex } from '../../indexer/sync-index.ts';
import { startEmbeddedMeilisearch } from '../../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../../meili/meili-client.ts';
import { CrawlStore } from '../../store/crawl-store.ts';
import { Bm25Index } from './bm25.ts';
import { buildDgclCorpus, DGCL_SOURCE, type DgclCorpus } from './dgcl-corpus.ts';
import {
  loadProjectQueries,
  PROJECT_QUERY_KINDS,
  populationRange,
  type ProjectQuery,
} from './project-queries.ts';
import { type ProjectScores, meanProjectScores, scoreProjectQuery } from './project-metrics.ts';

const { values: options } = parseArgs({ options: { reveal: { type: 'boolean', default: false } } });
const FETCHED_AT = '2026-12-01T00:00:00.000Z';
const DEPTH = 100;
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

const queries = await loadProjectQueries();
const resources = await loadIndexerResources();
const corpus = await buildDgclCorpus(resources.territories, FETCHED_AT);
console.log(
  `${corpus.pages.length} projects (${corpus.skipped} rows without a title), ${queries.length} judged queries, held out (${seconds()} s).`,
);
const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-eval-projects-'));
const meili = await startEmbeddedMeilisearch({ dataDir, log: silentLogger() });
const client = createMeiliClient(meili.url, meili.masterKey);
try {
  console.log('Indexing (a) the project way and (b) with Meilisearch defaults; building (c) BM25…');
  await indexTheProjectWay(client, 'project', corpus, resources);
  const facts = await indexWithDefaults(client, 'defaults', corpus, resources);
  const bm25 = new Bm25Index();
  for (const page of corpus.pages) bm25.add(idOf(page.url), page.text);
  console.log(`Indexed (${seconds()} s).`);
  if (!options.reveal) {
    console.log(
      'The judged queries are held out: run with --reveal to print their figures, once, when tuning is over.',
    );
  } else {
    const outcomes = [];
    for (const query of queries) {
      const judgments = judgmentsOf(query, corpus);
      outcomes.push({
        query,
        project: scoreProjectQuery(await projectWay(client, query), judgments),
        defaults: scoreProjectQuery(await defaultsWay(client, query), judgments),
        bm25: scoreProjectQuery(
          bm25.search(query.q, DEPTH, (id) => matchesFilters(facts.get(id), query)),
          judgments,
        ),
      });
    }
    report(outcomes);
  }
  console.log(`\nDone in ${seconds()} s.`);
} finally {
  await meili.stop();
  await rm(dataDir, { recursive: true, force: true });
}

function idOf(url: string): string {
  return documentIdForUrl(url);
}

function judgmentsOf(query: ProjectQuery, dgcl: DgclCorpus): Record<string, number> {
  const judgments: Record<string, number> = {};
  for (const [row, grade] of Object.entries(query.relevant)) {
    const id = dgcl.idOfRow.get(row);
    if (id) judgments[id] = grade;
  }
  return judgments;
}

/** (a) The API's own search, with the query's filters as an official would set them. */
async function projectWay(meilisearch: Meilisearch, query: ProjectQuery): Promise<string[]> {
  const ids: string[] = [];
  for (const page of [1, 2]) {
    const params = SearchParamsSchema.parse({
      q: query.q,
      type: 'projet',
      page,
      hitsPerPage: 50,
      ...(query.territory ? { territory: query.territory } : {}),
      ...(query.scheme ? { scheme: query.scheme } : {}),
      ...(query.year ? { year: String(query.year) } : {}),
      ...(query.size ? { population: rangeText(query.size) } : {}),
    });
    const result = await searchDocuments(meilisearch, 'project', params);
    ids.push(...result.hits.map((hit) => hit.id));
  }
  return ids;
}

/** (b) Meilisearch as it comes: the query as typed, the same filters. */
async function defaultsWay(meilisearch: Meilisearch, query: ProjectQuery): Promise<string[]> {
  const filter: string[] = [];
  if (query.territory) filter.push(`territory.codes = "${query.territory}"`);
  if (query.scheme) filter.push(`project.scheme = "${query.scheme}"`);
  if (query.year) filter.push(`project.year = ${query.year}`);
  const range = populationRange(query.size);
  if (range?.min != null) filter.push(`territory.population >= ${range.min}`);
  if (range?.max != null) filter.push(`territory.population <= ${range.max}`);
  const { hits } = await meilisearch
    .index('defaults')
    .search(query.q, { filter, limit: DEPTH, attributesToRetrieve: ['id'] });
  return hits.map((hit) => String(hit.id));
}

function rangeText(size: ProjectQuery['size']): string {
  const range = populationRange(size)!;
  return `${range.min ?? ''}-${range.max ?? ''}`;
}

interface Facts {
  codes: string[];
  population: number | null;
  scheme: string | null;
  year: number | null;
}

function matchesFilters(facts: Facts | undefined, query: ProjectQuery): boolean {
  if (!facts) return false;
  if (query.territory && !facts.codes.includes(query.territory)) return false;
  if (query.scheme && facts.scheme !== query.scheme) return false;
  if (query.year && facts.year !== query.year) return false;
  const range = populationRange(query.size);
  if (
    range &&
    (facts.population === null ||
      (range.min !== null && facts.population < range.min) ||
      (range.max !== null && facts.population > range.max))
  ) {
    return false;
  }
  return true;
}

async function indexTheProjectWay(
  meilisearch: Meilisearch,
  indexUid: string,
  dgcl: DgclCorpus,
  indexerResources: IndexerResources,
): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'pas-eval-projects-store-'));
  const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));
  try {
    const { runId } = store.beginRun([DGCL_SOURCE.id], new Date(FETCHED_AT));
    for (const page of dgcl.pages) {
      store.enqueue(runId, { url: page.url, sourceId: page.sourceId, depth: 0, sitemapLastmod: null });
      store.recordVisit(
        page.url,
        { outcome: 'new', contentHash: page.contentHash, indexedUrl: page.url, fetchedAt: page.fetchedAt },
        { upsert: page },
      );
    }
    store.finishRun(runId, new Date(FETCHED_AT));
    await ensureIndex(meilisearch, indexUid, indexerResources.settings);
    await syncIndex({
      documents: store.documents,
      client: meilisearch,
      indexUid,
      sources: [DGCL_SOURCE],
      resources: indexerResources,
      log: silentLogger(),
      now: () => new Date(FETCHED_AT),
    });
  } finally {
    store.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

/** (b) The same documents without what only the project's settings use, Meilisearch's defaults. */
async function indexWithDefaults(
  meilisearch: Meilisearch,
  indexUid: string,
  dgcl: DgclCorpus,
  indexerResources: IndexerResources,
): Promise<Map<string, Facts>> {
  const build = documentBuilder({
    sources: [DGCL_SOURCE],
    resources: indexerResources,
    now: () => new Date(FETCHED_AT),
  });
  const documents = searchDocumentsOf(
    build,
    dgcl.pages.map((page) => ({ page, sourceId: page.sourceId })),
  ).map(
    ({
      stemmed: _stemmed,
      titleWords: _titleWords,
      ...document
    }): Omit<SearchDocument, 'stemmed' | 'titleWords'> => document,
  );
  await awaitTask(meilisearch, meilisearch.createIndex(indexUid, { primaryKey: 'id' }));
  await awaitTask(
    meilisearch,
    meilisearch.index(indexUid).updateSettings({
      filterableAttributes: ['territory.codes', 'territory.population', 'project.scheme', 'project.year'],
    }),
  );
  for (let start = 0; start < documents.length; start += 20_000) {
    await awaitTask(
      meilisearch,
      meilisearch.index(indexUid).addDocuments(documents.slice(start, start + 20_000), { primaryKey: 'id' }),
    );
  }
  return new Map(
    documents.map((document) => [
      document.id,
      {
        codes: document.territory.codes,
        population: document.territory.population,
        scheme: document.project?.scheme ?? null,
        year: document.project?.year ?? null,
      },
    ]),
  );
}

function report(
  outcomes: { query: ProjectQuery; project: ProjectScores; defaults: ProjectScores; bm25: ProjectScores }[],
): void {
  const row = (label: string, keep: (query: ProjectQuery) => boolean) => {
    const kept = outcomes.filter((outcome) => keep(outcome.query));
    if (kept.length === 0) return;
    const [a, b, c] = (['project', 'defaults', 'bm25'] as const).map((way) =>
      meanProjectScores(kept.map((outcome) => outcome[way])),
    ) as [ProjectScores, ProjectScores, ProjectScores];
    const cell = (key: keyof ProjectScores) =>
      `${a[key].toFixed(3)} / ${b[key].toFixed(3)} / ${c[key].toFixed(3)}`;
    console.log(`| ${label} | ${kept.length} | ${cell('precision')} | ${cell('ndcg')} | ${cell('recall')} |`);
  };
  console.log('\n## Held-out officials’ queries: (a) project / (b) Meilisearch defaults / (c) BM25\n');
  console.log('| set | queries | precision@10 | nDCG@10 | recall@100 |');
  console.log('| --- | --- | --- | --- | --- |');
  row('all', () => true);
  row('with a filter', (query) => Boolean(query.territory || query.size || query.scheme || query.year));
  for (const kind of PROJECT_QUERY_KINDS) row(kind, (query) => query.kinds.includes(kind));
}
