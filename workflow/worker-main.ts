/**
 * `npm run worker`: crawls the sources `npm start`'s scheduler queues in Redis (REDIS_URL), as many
 * at once as WORKER_CONCURRENCY; run as many workers as the hosts and the machines allow. Each job
 * is one source's crawl (workflow/crawl-job.ts). Exit codes: 0 stopped; 1 failed; 2 invalid
 * configuration; 130 stopped by SIGINT or SIGTERM (a job it was crawling goes back to the queue,
 * and its next crawl resumes where this one stopped).
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { ConfigError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import type { RedisHostGates } from '../crawler/politeness/redis-host-gates.ts';
import { createIndexIfMissing } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { type CrawlJobResult, runCrawlJob } from './crawl-job.ts';
import { CRAWL_QUEUE_NAME, type CrawlJobData, CrawlJobSchema, redisConnection } from './crawl-queue.ts';
import { exitCodeOf } from '../core/exit-code.ts';

const USAGE = 'Usage: npm run worker   (REDIS_URL must name the crawl queue’s Redis)';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(process.env);
  if (!config.REDIS_URL) {
    throw new ConfigError([
      {
        variable: 'REDIS_URL',
        message:
          'not set: a worker takes its crawl jobs from the queue in Redis (e.g. redis://127.0.0.1:6379); ' +
          'on one machine, npm start crawls by itself and needs no worker',
      },
    ]);
  }
  await ensureWritableDataDir(config.DATA_DIR);
  const name = `${hostname()}:${process.pid}`;
  const log = createLogger(config.LOG_LEVEL, 'worker').child({ worker: name });
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  const engine = await connectSearchEngine(config, log);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  // Two workers starting on a new Meilisearch would both create the index: one at a time.
  await store.inIndexSyncTurn(`npm run worker (${name}): index creation`, () =>
    createIndexIfMissing(engine.client, config.MEILI_INDEX, resources.settings),
  );
  /** The jobs being crawled, with their lock tokens: given back to the queue on SIGTERM. */
  const active = new Map<string, { job: Job<CrawlJobData>; token: string | undefined }>();
  const gatesInUse = new Set<RedisHostGates>();
  const worker = new Worker<CrawlJobData, CrawlJobResult>(
    CRAWL_QUEUE_NAME,
    async (job: Job<CrawlJobData>, token?: string) => {
      const data = CrawlJobSchema.parse(job.data);
      active.set(data.sourceId, { job, token });
      console.log(`${data.sourceId}: crawl started`);
      try {
        return await runCrawlJob(data, {
          config,
          store,
          client: engine.client,
          resources,
          redis,
          log: log.child({ source: data.sourceId }),
          worker: name,
          gatesInUse,
        });
      } finally {
        active.delete(data.sourceId);
      }
    },
    { connection: redisConnection(config.REDIS_URL), concurrency: config.WORKER_CONCURRENCY },
  );
  worker.on('completed', (job, result) => {
    // One line a job on stdout, as `npm run crawl` prints its report: what operators and tests read.
    console.log(
      result.status === 'crawled' ? result.summary : `${result.sourceId}: skipped (${result.reason})`,
    );
    log.info({ source: job.data.sourceId, status: result.status }, 'crawl job done');
  });
  worker.on('failed', (job, error) =>
    log.warn({ source: job?.data.sourceId, attempt: job?.attemptsMade, err: error }, 'crawl job failed'),
  );
  worker.on('error', (error) => log.error({ err: error }, 'the worker lost the queue'));
  await worker.waitUntilReady();
  console.log(
    `Worker ${name} ready: crawling the queue ${CRAWL_QUEUE_NAME}, ${config.WORKER_CONCURRENCY} source(s) at once.`,
  );

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => resolve(name));
  });
  console.error(
    `${signal}: stopping; a crawl under way goes back to the queue and resumes where it stopped.`,
  );
  // Not waiting for a crawl to end (it may take hours): every page it recorded is in the store. The
  // store is closed first, so that nothing more of the crawl is written (what it tries now fails,
  // and is not worth reporting), and its leases and host slots are freed; then its jobs go back to
  // the queue, for another worker to resume at once.
  process.on('unhandledRejection', () => undefined);
  process.on('uncaughtException', () => undefined);
  store.releaseLeasesHeldHere();
  store.close();
  const givenBack = await Promise.allSettled([
    ...[...gatesInUse].map((gates) => gates.stop()),
    ...[...active.values()].map(({ job, token }) => job.moveToWait(token)),
  ]);
  for (const outcome of givenBack) {
    // Not given back: the job's lock lapses in 30 s, and BullMQ hands it to another worker then.
    if (outcome.status === 'rejected') console.error(`Could not give a job back: ${String(outcome.reason)}`);
  }
  await worker.close(true);
  await Promise.allSettled([engine.stop(), redis.quit()]);
  process.exit(130);
}

try {
  process.exitCode = await main();
} catch (error) {
  process.exitCode = exitCodeOf(error, USAGE);
}
