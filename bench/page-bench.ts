/**
 * `npm run bench:page [-- --documents N --duration S --connections C]`: what the search page costs
 * beside the JSON API. ~20,000 pages of real service-public.fr text are indexed with the project's
 * indexer; the API (bench/api-bench-server.ts, the real app with its cache) runs in its own process
 * and wrk in another. For the same distinct queries, in alternating slices: `GET /?q=` (the page's
 * server-rendered HTML: the results, the counts of six facets, the form) and `GET /v1/search?q=`
 * (JSON). The cache is emptied before every slice, so both pay for their searches. Also prints the
 * widget's size gzipped. Linux only, like the embedded Meilisearch.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildBrowserAssets, gzippedSize } from '../api/browser-assets.ts';
import { createLogger } from '../core/logger.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { startBenchApi } from './api-bench-process.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { distinctQueries } from './bench-queries.ts';
import { benchSource, ficheTexts, realPages, recordCrawledPages } from './real-pages.ts';
import { assertWrkInstalled, combineLoads, type LoadResult, runWrk } from './wrk-load.ts';

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
// wrk takes whole seconds: 15 s per target makes slices of 3 s.
const SLICES = 5;

assertWrkInstalled();
const assets = await buildBrowserAssets();
console.log(
  `widget.js: ${(assets.widgetJs.body.length / 1024).toFixed(1)} KB, ${(gzippedSize(assets.widgetJs) / 1024).toFixed(1)} KB gzipped (aim: under 30 KB); ` +
    `page.js ${(gzippedSize(assets.pageJs) / 1024).toFixed(1)} KB and page.css ${(gzippedSize(assets.pageCss) / 1024).toFixed(1)} KB gzipped`,
);
const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-page-'));
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));
let api: ChildProcess | undefined;

try {
  const client = createMeiliClient(meili.url, meili.masterKey);
  const resources = await loadIndexerResources();
  const source = benchSource();
  console.log(`Indexing ${documentCount} pages of real service-public.fr text…`);
  const texts = ficheTexts();
  recordCrawledPages(store, source, realPages(texts, documentCount));
  await ensureIndex(client, INDEX, resources.settings);
  await syncIndex({ documents: store.documents, client, indexUid: INDEX, sources: [source], resources, log });

  const queries = distinctQueries(texts.map((text) => text.title));
  const warmUp = queries.slice(0, 2_000);
  const measured = queries.slice(2_000);
  const lines = async (name: string, paths: string[]) => {
    const file = path.join(workDir, name);
    await writeFile(file, `${paths.join('\n')}\n`);
    return file;
  };
  const targets = {
    json: await lines(
      'json.txt',
      measured.map((q) => `/v1/search?q=${encodeURIComponent(q)}`),
    ),
    page: await lines(
      'page.txt',
      measured.map((q) => `/?q=${encodeURIComponent(q)}`),
    ),
  };
  const warmUpFiles = [
    await lines(
      'warm-json.txt',
      warmUp.map((q) => `/v1/search?q=${encodeURIComponent(q)}`),
    ),
    await lines(
      'warm-page.txt',
      warmUp.map((q) => `/?q=${encodeURIComponent(q)}`),
    ),
  ];
  const started = await startBenchApi(meili, INDEX);
  api = started.child;
  const origin = `http://127.0.0.1:${started.port}`;
  const invalidate = () => fetch(`${origin}/__bench/invalidate`, { method: 'POST' });
  const load = (requestsFile: string, seconds: number, startLine = 0) =>
    runWrk({
      origin,
      method: 'GET',
      requestsFile,
      startLine,
      connections,
      durationSeconds: seconds,
      workDir,
    });

  console.log('Warming up…');
  for (const file of warmUpFiles) await load(file, 3);
  const [load1] = loadavg();
  console.log(
    `Measuring: ${durationSeconds} s per target in ${SLICES} alternating slices, ${connections} connections, ` +
      `${availableParallelism()} cores, load average ${load1!.toFixed(1)}…`,
  );
  const slices: Record<keyof typeof targets, LoadResult[]> = { json: [], page: [] };
  const next = { json: 0, page: 0 };
  for (let slice = 0; slice < SLICES; slice++) {
    for (const target of slice % 2 === 0 ? (['json', 'page'] as const) : (['page', 'json'] as const)) {
      await invalidate();
      const result = await load(targets[target], durationSeconds / SLICES, next[target]);
      slices[target].push(result);
      next[target] += result.requests + connections;
    }
  }
  const json = combineLoads(slices.json);
  const pageResult = combineLoads(slices.page);
  const errors = (result: LoadResult) => Object.values(result.errors).reduce((sum, count) => sum + count, 0);
  console.log('\n| target | requests/s | p50 ms | p99 ms | errors |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, result] of [
    ['GET /v1/search?q= (JSON)', json],
    ['GET /?q= (search page, HTML)', pageResult],
  ] as const) {
    console.log(
      `| ${name} | ${result.requestsPerSecond.toFixed(0)} | ${result.p50Ms.toFixed(1)} | ${result.p99Ms.toFixed(1)} | ${errors(result)} |`,
    );
  }
  console.log(
    `\nPage / JSON: p50 ${(pageResult.p50Ms / json.p50Ms).toFixed(2)}x, p99 ${(pageResult.p99Ms / json.p99Ms).toFixed(2)}x, ` +
      `requests/s ${(pageResult.requestsPerSecond / json.requestsPerSecond).toFixed(2)}x (aim: time to first result <= 1.2x the JSON API)`,
  );
  if (errors(json) + errors(pageResult) > 0) {
    console.log('warning: some requests failed: the figures are not comparable.');
    process.exitCode = 1;
  }
} finally {
  if (api && api.exitCode === null) {
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
  store.close();
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}
