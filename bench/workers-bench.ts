/**
 * `npm run bench:scale:crawl [-- --sites 6 --pages 150 --rate 20 --rounds 2]`: crawl workers (`npm run
 * worker`) on one Redis queue, one worker against two, crawling the same generated web of several
 * sites (service-public.fr text, served from another process with 20 ms of latency a response),
 * each site a source paced at `--rate` requests a second as sources.yaml paces them. Each round starts
 * from an empty store and index, queues every source, and times until every job is done (crawled
 * and indexed); rounds alternate one and two workers. Needs Debian's redis-server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { stringify } from 'yaml';
import { createLogger } from '../core/logger.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { CrawlQueue } from '../workflow/crawl-queue.ts';
import { startRedisServer } from '../fixture-web/redis-server.ts';

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '6' },
    pages: { type: 'string', default: '150' },
    rate: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
  },
});
const sites = Number(values.sites);
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-workers-'));
const log = createLogger('warn', 'bench');
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/serve-site-process.ts', values.pages, values.sites, '20'],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const origins = await linesOf(server, sites);
const redis = await startRedisServer();
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const sourcesFile = path.join(workDir, 'sources.yaml');
const sourceIds = origins.map((_, n) => `site-${n + 1}`);
await writeFile(
  sourcesFile,
  stringify({
    sources: origins.map((origin, n) => ({
      id: sourceIds[n],
      name: `Site ${n + 1}`,
      kind: 'etat',
      url: `${origin}/`,
      territory: 'national',
      crawl: { requestsPerSecond: Number(values.rate), maxConcurrency: 4, maxPages: 100_000 },
    })),
  }),
);
console.log(
  `${sites} sites of ${values.pages} fiche pages (+ hubs), ${values.rate} requests/s each, 20 ms latency; ` +
    `load average ${loadavg()[0]!.toFixed(1)} at start.`,
);

const results: Record<number, { seconds: number; pages: number }[]> = { 1: [], 2: [] };
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const workers of [1, 2]) {
      const result = await crawlWith(workers, round);
      results[workers]!.push(result);
      console.log(
        `  round ${round}, ${workers} worker(s): ${result.pages} pages in ${result.seconds.toFixed(1)} s, ` +
          `${(result.pages / result.seconds).toFixed(1)} pages/s (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  }
  // Rounds run one and two workers back to back, so each round's ratio compares the same moment of
  // a machine other work may load; the means are over all rounds.
  const rate = (run: { seconds: number; pages: number }) => run.pages / run.seconds;
  const mean = (workers: number) =>
    results[workers]!.reduce((sum, run) => sum + rate(run), 0) / results[workers]!.length;
  const ratios = results[1]!.map((one, n) => (rate(results[2]![n]!) / rate(one)).toFixed(2));
  console.log('\n| workers | pages/s (mean of rounds) | vs one worker (each round) |');
  console.log('| --- | --- | --- |');
  console.log(`| 1 | ${mean(1).toFixed(1)} | 1.00× |`);
  console.log(`| 2 | ${mean(2).toFixed(1)} | ${(mean(2) / mean(1)).toFixed(2)}× (${ratios.join('×, ')}×) |`);
} finally {
  server.stdin?.end();
  await meili.stop();
  await redis.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** One round: a fresh store and index, `count` workers, every source queued; until all are done. */
async function crawlWith(count: number, round: number): Promise<{ seconds: number; pages: number }> {
  const dataDir = await mkdtemp(path.join(workDir, 'data-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    MEILI_INDEX: `workers-${count}-${round}`,
    DATA_DIR: dataDir,
    SOURCES_FILE: sourcesFile,
    CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const flush = new Redis(redis.url);
  await flush.flushall();
  await flush.quit();
  const workers = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', 'workflow/worker-main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const reports: string[] = [];
  const ready = workers.map(
    (worker) =>
      new Promise<void>((resolve) => {
        createInterface({ input: worker.stdout }).on('line', (line) => {
          if (/ ready: /.test(line)) resolve();
          if (/^site-\d+: \d+ new/.test(line)) reports.push(line);
        });
      }),
  );
  await Promise.all(ready);
  const queue = new CrawlQueue(redis.url);
  const started = performance.now();
  for (const id of sourceIds) await queue.enqueue(id, 'bench');
  while (reports.length < sourceIds.length) await new Promise((resolve) => setTimeout(resolve, 100));
  const seconds = (performance.now() - started) / 1000;
  await queue.close();
  await Promise.all(workers.map((worker) => stopped(worker)));
  const pages = reports.reduce((sum, line) => sum + Number(/(\d+) fetched/.exec(line)?.[1] ?? 0), 0);
  return { seconds, pages };
}

function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function linesOf(child: ChildProcess, count: number): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line.trim());
      if (lines.length === count) resolve(lines);
    });
  });
}
