/**
 * `npm run eval [-- --all | --worst N] [--reveal N]`: relevance of the search on a fixed corpus
 * of real service-public.fr fiches, against the judged queries of eval/judged-queries.yaml.
 *
 * The corpus (eval-corpus.ts) is indexed twice in a real Meilisearch (an embedded one with a
 * temporary data directory, or MEILI_URL / MEILI_MASTER_KEY when set): (a) the project's way (crawl
 * store → syncIndex, project settings), queried through the API's own search (searchDocuments of
 * api/search-documents.ts); (b) Meilisearch's defaults, the same documents, queried as typed. Prints
 * MRR@10, nDCG@10 and recall@10 of both and the delta, then by query set (tuning, held out,
 * territory-filtered) and by kind of query, then the queries (a) does worst on (`--all`: every one).
 * About a minute on two cores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SemanticSearch } from '../api/semantic-search.ts';
import { loadConfig } from '../core/config.ts';
import { silentLogger } from '../core/logger.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { type EmbeddedMeilisearch, startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { buildEvalCorpus } from './eval-corpus.ts';
import {
  apiStrategy,
  indexTheProjectWay,
  indexWithDefaults,
  type QueryOutcome,
  RAW_STRATEGY,
  runQueries,
} from './evaluate.ts';
import { type JudgedQuery, loadJudgedQueries, QUERY_KINDS, unseenRounds } from './judged-queries.ts';
import { CUTOFF, type MeanScores, meanScores } from './metrics.ts';

const { values: options } = parseArgs({
  options: {
    all: { type: 'boolean', default: false },
    worst: { type: 'string', default: '12' },
    // Unseen held-out rounds (judged-queries.yaml, `rounds`) are left out of everything printed:
    // looking at their failures, or following their figure, would turn them into tuning data.
    // `--reveal N` prints round N's figure (not its queries): do it once, when tuning is over, then
    // mark the round seen.
    reveal: { type: 'string', multiple: true, default: [] },
  },
});
const { queries, rounds: roundInfo } = await loadJudgedQueries();
const revealed = new Set(options.reveal.map(Number));
const hiddenRounds = new Set(unseenRounds(roundInfo).filter((round) => !revealed.has(round)));
const isHidden = (outcome: QueryOutcome) => outcome.query.heldOut && hiddenRounds.has(outcome.query.round);
/** A revealed round shows its figure only: its queries stay out of the per-query tables. */
const isUnseen = (outcome: QueryOutcome) =>
  outcome.query.heldOut && roundInfo.get(outcome.query.round)?.seen === false;
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(0);

if (hiddenRounds.size > 0) {
  console.log(`Held-out round(s) ${[...hiddenRounds].join(', ')} never seen: left out of every figure.`);
}
console.log(`Building the corpus (rendering and extracting every fiche)…`);
const corpus = buildEvalCorpus();
// With MEILI_EMBEDDER set, (a) is indexed and searched with semantic search too, as the API does.
const { MEILI_EMBEDDER: embedder, SEARCH_SEMANTIC_WEIGHT: semanticWeight } = loadConfig(process.env);
const resources = await loadIndexerResources({ embedder });
if (embedder) console.log(`Semantic search: ${embedder.source} embedder, weight ${semanticWeight}.`);
console.log(`${corpus.pages.length} pages, ${queries.length} judged queries (${seconds()} s).`);

let embedded: EmbeddedMeilisearch | undefined;
let dataDir: string | undefined;
if (!process.env.MEILI_URL) {
  dataDir = await mkdtemp(path.join(tmpdir(), 'pas-eval-meili-'));
  embedded = await startEmbeddedMeilisearch({ dataDir, log: silentLogger() });
}
const client = createMeiliClient(
  embedded?.url ?? (process.env.MEILI_URL as string),
  embedded?.masterKey ?? process.env.MEILI_MASTER_KEY,
);
const run = randomUUID().slice(0, 8);
const projectIndex = `eval-project-${run}`;
const defaultsIndex = `eval-defaults-${run}`;

try {
  console.log('Indexing (a) the project way and (b) with Meilisearch defaults…');
  await indexTheProjectWay(client, projectIndex, corpus, resources);
  await indexWithDefaults(client, defaultsIndex, corpus, resources);
  console.log(`Indexed (${seconds()} s). Querying…\n`);
  const project = await runQueries(
    client,
    projectIndex,
    queries,
    corpus,
    apiStrategy(embedder ? { semantic: new SemanticSearch(semanticWeight) } : {}),
  );
  const defaults = await runQueries(client, defaultsIndex, queries, corpus, RAW_STRATEGY);
  report(project, defaults);
  console.log(`\nDone in ${seconds()} s.`);
} finally {
  if (embedded) {
    await embedded.stop();
    await rm(dataDir as string, { recursive: true, force: true });
  } else {
    for (const uid of [projectIndex, defaultsIndex]) {
      await awaitTask(client, client.deleteIndex(uid)).catch(() => undefined);
    }
  }
}

function report(project: QueryOutcome[], defaults: QueryOutcome[]): void {
  const national = (outcome: QueryOutcome) => outcome.query.territory === undefined;
  const shownNational = (outcome: QueryOutcome) => national(outcome) && !isHidden(outcome);
  const means = (outcomes: QueryOutcome[], keep: (outcome: QueryOutcome) => boolean) =>
    meanScores(outcomes.filter(keep).map((outcome) => outcome.scores));
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;

  // Nothing printed depends on a hidden round's queries.
  const main = [means(project, shownNational), means(defaults, shownNational)] as const;
  console.log(`## National queries (${main[0].queries}), first ${CUTOFF} results\n`);
  console.log('| metric | (a) project | (b) Meilisearch defaults | delta |');
  console.log('| --- | --- | --- | --- |');
  const metrics: [string, keyof MeanScores][] = [
    [`MRR@${CUTOFF}`, 'mrr'],
    [`nDCG@${CUTOFF}`, 'ndcg'],
    [`recall@${CUTOFF}`, 'recall'],
    ['answer in top 3', 'successAt3'],
  ];
  for (const [label, key] of metrics) {
    const [mine, theirs] = [main[0][key], main[1][key]];
    console.log(`| ${label} | ${mine.toFixed(3)} | ${theirs.toFixed(3)} | ${signed(mine - theirs)} |`);
  }

  console.log(`\n## By query set\n`);
  console.log(
    `| set | queries | MRR@${CUTOFF} (a) / (b) | nDCG@${CUTOFF} (a) / (b) | recall@${CUTOFF} (a) / (b) |`,
  );
  console.log('| --- | --- | --- | --- | --- |');
  // One row per held-out round: each was written before a tuning round, the newest is the honest check.
  const rounds = [...new Set(project.filter((o) => o.query.heldOut).map((o) => o.query.round))].sort(
    (a, b) => a - b,
  );
  const sets: [string, (outcome: QueryOutcome) => boolean][] = [
    ['tuning', (o) => national(o) && !o.query.heldOut],
    [
      'written after tuning, seen since',
      (o) => national(o) && o.query.heldOut && roundInfo.get(o.query.round)?.seen === true,
    ],
    // A hidden round's figure is not printed either: it is read once, when tuning is over.
    ...rounds
      .filter((round) => !hiddenRounds.has(round))
      .map((round): [string, (outcome: QueryOutcome) => boolean] => [
        `round ${round} (${roundInfo.get(round)?.seen ? 'seen' : '**unseen, revealed now**'})`,
        (o) => national(o) && o.query.heldOut && o.query.round === round,
      ]),
    ['territory-filtered (local copies)', (o) => !national(o)],
  ];
  for (const [name, keep] of sets) {
    const [mine, theirs] = [means(project, keep), means(defaults, keep)];
    if (mine.queries === 0) continue;
    const pair = (key: keyof MeanScores) => `${mine[key].toFixed(3)} / ${theirs[key].toFixed(3)}`;
    console.log(`| ${name} | ${mine.queries} | ${pair('mrr')} | ${pair('ndcg')} | ${pair('recall')} |`);
  }

  console.log(`\n## MRR@${CUTOFF} by kind of query (a query may count in several)\n`);
  console.log('| kind | queries | (a) project | (b) defaults |');
  console.log('| --- | --- | --- | --- |');
  for (const kind of QUERY_KINDS) {
    const hasKind = (outcome: QueryOutcome) => outcome.query.kinds.includes(kind) && !isUnseen(outcome);
    const [mine, theirs] = [means(project, hasKind), means(defaults, hasKind)];
    if (mine.queries === 0) continue;
    console.log(`| ${kind} | ${mine.queries} | ${mine.mrr.toFixed(3)} | ${theirs.mrr.toFixed(3)} |`);
  }

  const rows = project
    .map((outcome, index) => ({ outcome, other: defaults[index]! }))
    .filter((row) => !isUnseen(row.outcome));
  const worst = options.all
    ? rows
    : [...rows]
        .sort((left, right) => left.outcome.scores.ndcg - right.outcome.scores.ndcg)
        .slice(0, Number(options.worst))
        .filter((row) => row.outcome.scores.ndcg < 1);
  console.log(options.all ? '\n## Every query\n' : `\n## Worst queries for (a), by nDCG@${CUTOFF}\n`);
  console.log('| query | answer rank (a) | (b) | nDCG (a) | first results (a) |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const { outcome, other } of worst) {
    const rank = (o: QueryOutcome) => String(o.scores.answerRank ?? '–');
    const firsts = outcome.ranked
      .slice(0, 3)
      .map((label, at) => `${label}${gradeMark(outcome.query, label)} ${outcome.titles[at] ?? ''}`)
      .join(' · ');
    console.log(
      `| ${describe(outcome.query)} | ${rank(outcome)} | ${rank(other)} | ${outcome.scores.ndcg.toFixed(2)} | ${firsts.replaceAll('|', '/')} |`,
    );
  }
}

function describe(query: JudgedQuery): string {
  return query.territory ? `${query.q} [${query.territory}]` : query.q;
}

function gradeMark(query: JudgedQuery, label: string): string {
  const grade = query.relevant[label];
  return grade === 2 ? ' ✓' : grade === 1 ? ' ~' : '';
}
