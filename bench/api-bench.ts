/**
 * `npm run bench:api [-- --documents N --duration S --connections C]`: what the API costs on top of
 * Meilisearch. ~20,000 pages of real service-public.fr text are indexed with the project's indexer
 * into an embedded Meilisearch; the API (bench/api-bench-server.ts) runs in its own process and wrk
 * (bench/wrk-load.ts) in another. Four runs of the same length and concurrency:
 *
 * - distinct queries (each sent once): the API's overhead on cache misses, against Meilisearch's own
 *   `POST /indexes/<uid>/search` with exactly the body the API sends for each query;
 * - a repeated mix (Zipf: a few queries very frequent, a long tail): what the search cache gives.
 *
 * The API's cache starts empty for each run. Linux only, like the embedded Meilisearch.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../core/logger.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { type CacheStats, combineMeasured, type Measured, report, type Run } from './api-bench-report.ts';
import { startBenchApi } from './api-bench-process.ts';
import { apiPath, checkSameAnswers, meiliBodyBuilder } from './api-bench-requests.ts';
import { distinctQueries, zipfSequence } from './bench-queries.ts';
import { createCpuReader } from './process-cpu.ts';
import { benchSource, ficheTexts, realPages, recordCrawledPages } from './real-pages.ts';
import { assertWrkInstalled, runWrk } from './wrk-load.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '15' },
    connections: { type: 'string', default: '20' },
  },
});
const documentCount = Number(values.documents);
const durationSeconds = Number(values.duration);
const connections = Number(values.connections);
const INDEX = 'documents';
const WARM_UP_SECONDS = 3;
/** Each run is made of this many alternating slices (see below). */
const SLICES = 5;
/** Distinct queries in the repeated mix, and its Zipf exponent (1: the classic web-search shape). */
const MIX_POOL = 2_000;
const MIX_EXPONENT = 1;

assertWrkInstalled();
const started = performance.now();
const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-api-'));
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const cpu = createCpuReader();
let api: ChildProcess | undefined;
const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));

try {
  const client = createMeiliClient(meili.url, meili.masterKey);
  const resources = await loadIndexerResources();
  const source = benchSource();
  console.log(`Indexing ${documentCount} pages of real service-public.fr text…`);
  const texts = ficheTexts();
  recordCrawledPages(store, source, realPages(texts, documentCount));
  await ensureIndex(client, INDEX, resources.settings);
  const indexed = await syncIndex({
    documents: store.documents,
    client,
    indexUid: INDEX,
    sources: [source],
    resources,
    log,
  });
  console.log(`  ${indexed.upserted} documents indexed (${elapsed(started)} s so far)`);

  const queries = distinctQueries(texts.map((text) => text.title));
  const warmUp = queries.slice(0, 3_000);
  const mix = zipfSequence(queries.slice(3_000, 3_000 + MIX_POOL), 200_000, MIX_EXPONENT);
  const distinct = queries.slice(3_000 + MIX_POOL);
  const toMeiliBody = await meiliBodyBuilder(INDEX);
  const files = {
    apiWarmUp: await writeLines('api-warm-up.txt', warmUp.map(apiPath)),
    apiHotWarmUp: await writeLines('api-hot-warm-up.txt', warmUp.slice(0, 50).map(apiPath)),
    meiliWarmUp: await writeLines('meili-warm-up.txt', warmUp.map(toMeiliBody)),
    apiDistinct: await writeLines('api-distinct.txt', distinct.map(apiPath)),
    meiliDistinct: await writeLines('meili-distinct.txt', distinct.map(toMeiliBody)),
    apiMix: await writeLines('api-mix.txt', mix.map(apiPath)),
    meiliMix: await writeLines('meili-mix.txt', mix.map(toMeiliBody)),
  };

  const apiProcess = await startBenchApi(meili, INDEX);
  api = apiProcess.child;
  const apiOrigin = `http://127.0.0.1:${apiProcess.port}`;
  await checkSameAnswers(apiOrigin, meili, INDEX, distinct.slice(0, 20), toMeiliBody);

  const meiliLoad = { origin: meili.url, method: 'POST', postPath: `/indexes/${INDEX}/search` } as const;
  const meiliHeaders = { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json' };
  const apiLoad = { origin: apiOrigin, method: 'GET' } as const;
  // Meilisearch is native code; the API's JavaScript needs thousands of calls before V8 optimizes
  // it, and at the ~30 searches/s this machine allows, a short warm-up leaves it half cold (measured:
  // ~3x the CPU per request). Repeated queries (cache hits) run the shared path hot quickly.
  console.log(`Warming up…`);
  await load({ ...meiliLoad, headers: meiliHeaders, requestsFile: files.meiliWarmUp }, WARM_UP_SECONDS);
  await load({ ...apiLoad, requestsFile: files.apiWarmUp }, WARM_UP_SECONDS);
  await load({ ...apiLoad, requestsFile: files.apiHotWarmUp }, WARM_UP_SECONDS);

  const [load1] = loadavg();
  console.log(
    `Measuring: ${durationSeconds} s per run in ${SLICES} alternating slices, ${connections} connections, ` +
      `${availableParallelism()} cores, ` +
      `load average ${load1!.toFixed(1)} (other work on the machine skews the figures)…`,
  );
  const runs: Run[] = [];
  for (const [scenario, meiliFile, apiFile, pool] of [
    ['distinct queries', files.meiliDistinct, files.apiDistinct, distinct.length],
    [`repeated mix (Zipf ${MIX_EXPONENT}, ${MIX_POOL} queries)`, files.meiliMix, files.apiMix, MIX_POOL],
  ] as const) {
    // Cut in slices that alternate between the two targets, so that a change in the machine's
    // background load hits both alike; each target walks its file on from slice to slice.
    const slices: { direct: Measured[]; viaApi: Measured[] } = { direct: [], viaApi: [] };
    // wrk counts completed requests only: up to one per connection was sent and not counted, so the
    // next slice starts past those, or a "distinct" query would be sent twice.
    const startLine = { direct: 0, viaApi: 0 };
    await fetch(`${apiOrigin}/__bench/invalidate`, { method: 'POST' });
    const statsBefore = await cacheStats(apiOrigin);
    for (let slice = 0; slice < SLICES; slice++) {
      const direct = await load(
        { ...meiliLoad, headers: meiliHeaders, requestsFile: meiliFile, startLine: startLine.direct },
        durationSeconds / SLICES,
      );
      const viaApi = await load(
        { ...apiLoad, requestsFile: apiFile, startLine: startLine.viaApi },
        durationSeconds / SLICES,
      );
      slices.direct.push(direct);
      slices.viaApi.push(viaApi);
      startLine.direct += direct.requests + connections;
      startLine.viaApi += viaApi.requests + connections;
    }
    const statsAfter = await cacheStats(apiOrigin);
    // The cache's counters are cumulative: this run's share is the difference.
    const stats: CacheStats = {
      hits: statsAfter.hits - statsBefore.hits,
      misses: statsAfter.misses - statsBefore.misses,
      coalesced: statsAfter.coalesced - statsBefore.coalesced,
    };
    runs.push({ scenario, target: 'Meilisearch direct', pool, ...combineMeasured(slices.direct) });
    runs.push({ scenario, target: 'API /v1/search', pool, ...combineMeasured(slices.viaApi), cache: stats });
  }
  report(runs);
  console.log(`\nTotal bench time: ${elapsed(started)} s.`);
} finally {
  if (api && api.exitCode === null) {
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
  store.close();
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** One wrk run, with the CPU the servers used meanwhile. */
async function load(
  run: Pick<
    Parameters<typeof runWrk>[0],
    'origin' | 'method' | 'postPath' | 'headers' | 'requestsFile' | 'startLine'
  >,
  seconds = durationSeconds,
): Promise<Measured> {
  const pids = { meilisearch: meili.pid, api: api!.pid! };
  const before = { meilisearch: await cpu.cpuSeconds(pids.meilisearch), api: await cpu.cpuSeconds(pids.api) };
  const result = await runWrk({ ...run, connections, durationSeconds: seconds, workDir });
  const after = { meilisearch: await cpu.cpuSeconds(pids.meilisearch), api: await cpu.cpuSeconds(pids.api) };
  const perRequest = (key: keyof typeof pids) => ((after[key] - before[key]) * 1000) / result.requests;
  return { ...result, cpuMsPerRequest: { meilisearch: perRequest('meilisearch'), api: perRequest('api') } };
}

async function cacheStats(apiOrigin: string): Promise<CacheStats> {
  return (await (await fetch(`${apiOrigin}/__bench/cache-stats`)).json()) as CacheStats;
}

async function writeLines(name: string, lines: string[]): Promise<string> {
  const file = path.join(workDir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

function elapsed(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(0);
}
