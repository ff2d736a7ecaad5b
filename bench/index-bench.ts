/**
 * `npm run bench:index [-- --documents N | --dataset]` (`--dataset`: dataset-index-bench.ts): from crawled pages in the store to "searchable", with the
 * project's indexer (syncIndex: store → SearchDocument → batches → every task awaited and checked),
 * side by side in the same run with the raw Meilisearch client adding the same documents in one go.
 * Both go to a real (embedded) Meilisearch, into fresh indexes with the same settings, so the figures
 * compare the indexer's overhead, not two different indexing jobs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../core/logger.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { documentBuilder, searchDocumentsOf } from '../indexer/document-builder.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { benchSource, ficheTexts, realPages, recordCrawledPages } from './real-pages.ts';

const { values } = parseArgs({
  options: { documents: { type: 'string', default: '20000' }, dataset: { type: 'boolean', default: false } },
});
if (values.dataset) {
  await import('./dataset-index-bench.ts');
  process.exit(0);
}
const documentCount = Number(values.documents);
const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-index-'));
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const client = createMeiliClient(meili.url, meili.masterKey);
const resources = await loadIndexerResources();
const source = benchSource();

console.log(`Preparing ${documentCount} pages of real service-public.fr text in a crawl store…`);
const pages = realPages(ficheTexts(), documentCount);
const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));
recordCrawledPages(store, source, pages);

try {
  // Raw client: the same documents, built beforehand (not timed), sent in as few requests as
  // Meilisearch's 100 MB payload limit allows, all enqueued before the one wait.
  const toDocument = documentBuilder({ sources: [source], resources });
  const documents = searchDocumentsOf(
    toDocument,
    pages.map((page) => ({ page, sourceId: source.id })),
  );
  const payloads = splitUnder(documents, 80 * 1024 * 1024);
  await ensureIndex(client, 'raw', resources.settings);
  const rawStarted = performance.now();
  const rawTasks = [];
  for (const payload of payloads)
    rawTasks.push(await client.index('raw').addDocuments(payload, { primaryKey: 'id' }));
  for (const task of rawTasks) await awaitTask(client, task);
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  await ensureIndex(client, 'project', resources.settings);
  const projectStarted = performance.now();
  const result = await syncIndex({
    documents: store.documents,
    client,
    indexUid: 'project',
    sources: [source],
    resources,
    log,
  });
  const projectSeconds = (performance.now() - projectStarted) / 1000;

  const rawRate = documents.length / rawSeconds;
  const projectRate = result.upserted / projectSeconds;
  console.log('\n| indexer | documents | seconds | documents/s |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| raw client, ${payloads.length} payload(s) enqueued at once | ${documents.length} | ${rawSeconds.toFixed(1)} | ${rawRate.toFixed(0)} |`,
  );
  console.log(
    `| project: store → syncIndex | ${result.upserted} | ${projectSeconds.toFixed(1)} | ${projectRate.toFixed(0)} |`,
  );
  console.log(`\nRatio: ${(projectRate / rawRate).toFixed(2)}x the raw client's documents/s (aim: >= 0.9x).`);
} finally {
  store.close();
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** Consecutive slices whose JSON stays under `maxBytes`. */
function splitUnder<T>(values: readonly T[], maxBytes: number): T[][] {
  const slices: T[][] = [[]];
  let bytes = 0;
  for (const value of values) {
    const size = JSON.stringify(value).length;
    if (bytes + size > maxBytes && slices.at(-1)!.length > 0) {
      slices.push([]);
      bytes = 0;
    }
    slices.at(-1)!.push(value);
    bytes += size;
  }
  return slices;
}
