/**
 * `npm run bench:scale [-- --steps 100000,500000,1000000 --queries 200]`: how one Meilisearch node
 * holds the index as it grows. Documents of real length (service-public.fr fiches, each again with
 * a numbered variant sentence, ~5 KB of text on average) are built by the project's indexer and
 * added to an embedded Meilisearch with the project's settings, a slice at a time; at each step it
 * prints the documents, the disk the node uses, its memory (RSS), the time the step took to index,
 * and the search latency through the API (one request at a time, distinct queries, cache emptied)
 * beside Meilisearch searched directly with the same request body, alternating query by query.
 * Linux only, like the embedded Meilisearch.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EnqueuedTask } from 'meilisearch';
import { createLogger } from '../core/logger.ts';
import { documentBuilder, searchDocumentsOf } from '../indexer/document-builder.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { startBenchApi } from './api-bench-process.ts';
import { apiPath, checkSameAnswers, meiliBodyBuilder } from './api-bench-requests.ts';
import { distinctQueries } from './bench-queries.ts';
import { directorySize, percentile, rssOf } from './scale-measures.ts';
import { benchSource, ficheTexts, realPages } from './real-pages.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000,500000,1000000' },
    queries: { type: 'string', default: '200' },
  },
});
const steps = values.steps.split(',').map(Number);
const queryCount = Number(values.queries);
if (steps.some((step, n) => !Number.isInteger(step) || step <= (steps[n - 1] ?? 0))) {
  throw new Error(`--steps must be increasing whole numbers: ${values.steps}`);
}
const INDEX = 'documents';
/** Documents built and sent per request, and requests left enqueued before the oldest is awaited:
 * Meilisearch keeps each payload on disk until its task runs, so the window bounds that disk. */
const SLICE = 10_000;
const IN_FLIGHT = 4;

const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-scale-'));
const meiliDir = path.join(workDir, 'meili');
const meili = await startEmbeddedMeilisearch({ dataDir: meiliDir, log });
const client = createMeiliClient(meili.url, meili.masterKey, { timeoutMs: 60_000 });
const resources = await loadIndexerResources();
const source = benchSource();
const texts = ficheTexts();
const toDocument = documentBuilder({ sources: [source], resources });
const queries = distinctQueries(texts.map((text) => text.title)).slice(0, queryCount + 20);
let api: ChildProcess | undefined;

try {
  await ensureIndex(client, INDEX, resources.settings);
  const started = await startBenchApi(meili, INDEX);
  api = started.child;
  const apiOrigin = `http://127.0.0.1:${started.port}`;
  const toMeiliBody = await meiliBodyBuilder(INDEX);
  const rows: string[] = [];
  let indexed = 0;
  let textBytes = 0;
  console.log(`Steps: ${steps.join(', ')} documents; load average ${loadavg()[0]!.toFixed(1)} at start.`);
  for (const step of steps) {
    const added = step - indexed;
    const stepStarted = performance.now();
    const pending: EnqueuedTask[] = [];
    while (indexed < step) {
      const count = Math.min(SLICE, step - indexed);
      const pages = realPages(texts, count, indexed);
      for (const page of pages) textBytes += Buffer.byteLength(page.text);
      const documents = searchDocumentsOf(
        toDocument,
        pages.map((page) => ({ page, sourceId: source.id })),
      );
      pending.push(await client.index(INDEX).addDocuments(documents, { primaryKey: 'id' }));
      indexed += count;
      if (pending.length >= IN_FLIGHT) await awaitTask(client, pending.shift()!, 3_600_000);
    }
    for (const task of pending) await awaitTask(client, task, 3_600_000);
    const indexSeconds = (performance.now() - stepStarted) / 1000;
    const stats = await client.index(INDEX).getStats();
    if (stats.numberOfDocuments !== step) {
      throw new Error(`Meilisearch holds ${stats.numberOfDocuments} documents, ${step} were sent`);
    }
    await fetch(`${apiOrigin}/__bench/invalidate`, { method: 'POST' });
    await checkSameAnswers(apiOrigin, meili, INDEX, queries.slice(0, 20), toMeiliBody);
    const latency = await measureSearches(apiOrigin, queries.slice(20), toMeiliBody);
    const row = [
      step.toLocaleString('en'),
      `${(textBytes / indexed / 1024).toFixed(1)} KB`,
      `${((await directorySize(meiliDir)) / 2 ** 30).toFixed(2)} GiB`,
      `${((await rssOf(meili.pid)) / 2 ** 20).toFixed(0)} MB`,
      `${indexSeconds.toFixed(0)} s (${(added / indexSeconds).toFixed(0)} docs/s)`,
      `${latency.api.p50.toFixed(1)} / ${latency.api.p99.toFixed(1)} ms`,
      `${latency.direct.p50.toFixed(1)} / ${latency.direct.p99.toFixed(1)} ms`,
      `${(latency.api.p50 / latency.direct.p50).toFixed(2)}× / ${(latency.api.p99 / latency.direct.p99).toFixed(2)}×`,
      loadavg()[0]!.toFixed(1),
    ];
    rows.push(`| ${row.join(' | ')} |`);
    console.log(`  ${row.join('  ')}`);
  }
  console.log(
    '\n| documents | text/doc | disk (Meilisearch) | RSS (Meilisearch) | indexing this step | search p50 / p99, API | Meilisearch direct | API / direct | load |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  api?.kill('SIGTERM');
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}

/**
 * `queries` one at a time, through the API and directly, the first of the two alternating query by
 * query: both see the same load, and neither always finds the other's pages already in memory.
 */
async function measureSearches(
  apiOrigin: string,
  sent: readonly string[],
  toMeiliBody: (q: string) => string,
): Promise<{ api: { p50: number; p99: number }; direct: { p50: number; p99: number } }> {
  const viaApi: number[] = [];
  const direct: number[] = [];
  const timed = async (request: () => Promise<Response>, into: number[], q: string) => {
    const start = performance.now();
    const response = await request();
    await response.arrayBuffer();
    into.push(performance.now() - start);
    if (response.status !== 200) throw new Error(`"${q}": ${response.url} answered ${response.status}`);
  };
  for (const [n, q] of sent.entries()) {
    const throughApi = () => timed(() => fetch(`${apiOrigin}${apiPath(q)}`), viaApi, q);
    const straight = () =>
      timed(
        () =>
          fetch(`${meili.url}/indexes/${INDEX}/search`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json' },
            body: toMeiliBody(q),
          }),
        direct,
        q,
      );
    if (n % 2 === 0) {
      await throughApi();
      await straight();
    } else {
      await straight();
      await throughApi();
    }
  }
  return {
    api: { p50: percentile(viaApi, 0.5), p99: percentile(viaApi, 0.99) },
    direct: { p50: percentile(direct, 0.5), p99: percentile(direct, 0.99) },
  };
}
