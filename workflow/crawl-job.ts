import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Meilisearch } from 'meilisearch';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { type CrawlReport, formatReport } from '../crawler/crawl-report.ts';
import { RedisHostGates } from '../crawler/politeness/redis-host-gates.ts';
import type { IndexerResources } from '../indexer/indexer-resources.ts';
import { LEASE_TTL_MS } from '../store/crawl-leases.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { CrawlJobData } from './crawl-queue.ts';
import { saveCrawlReports } from './crawl-report-file.ts';
import { crawlSettingsOf } from './crawl-settings-of.ts';
import { runCrawl } from './run-crawl.ts';

export interface CrawlJobDependencies {
  config: Config;
  store: CrawlStore;
  client: Meilisearch;
  resources: IndexerResources;
  /** Where each host's politeness is held for every worker. */
  redis: Redis;
  log: Logger;
  /** Names the worker in the store's leases and logs. */
  worker: string;
  /** The gates of the jobs running, for the worker to give back their slots if it stops. */
  gatesInUse?: Set<RedisHostGates>;
}

/** What a job did: the report's summary line, or why nothing was crawled. */
export type CrawlJobResult =
  | { status: 'crawled'; sourceId: string; report: CrawlReport; summary: string }
  | { status: 'skipped'; sourceId: string; reason: string };

/**
 * One crawl job in a worker: the source as SOURCES_FILE has it now, crawled like `npm run crawl --
 * --source ID` would, with three differences that let several workers crawl at once: the store is
 * held by a lease on this source (not the one-writer lock), each host's politeness is shared
 * through Redis, and each index sync waits its turn among the workers. Throws StoreBusyError when
 * the store has a writer this job must wait for; BullMQ then tries the job again later.
 */
export async function runCrawlJob(job: CrawlJobData, deps: CrawlJobDependencies): Promise<CrawlJobResult> {
  const { config, store, log } = deps;
  // Read at each job: a source merged in git, or edited by an admin, is crawled as it is now.
  const whitelist = await loadSourcesFile(config.SOURCES_FILE, deps.resources.territories, {
    allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS,
  });
  const source = whitelist.find((one) => one.id === job.sourceId);
  if (!source?.enabled) {
    const reason = source ? 'disabled' : `no longer in ${config.SOURCES_FILE}`;
    log.info({ source: job.sourceId, reason }, 'crawl job skipped');
    return { status: 'skipped', sourceId: job.sourceId, reason };
  }
  const command = `npm run worker (${deps.worker}): crawl of ${source.id}`;
  const lease = store.leaseSource(source.id, command);
  const renewal = setInterval(() => lease.renew(), LEASE_TTL_MS / 3);
  const settings = crawlSettingsOf(config);
  const paces = paceByOrigin(whitelist);
  const politeness = new RedisHostGates({
    redis: deps.redis,
    // A host of no source (robots.txt moved to the site's other host): one request a second, one at a time.
    requestsPerSecond: (origin) => paces.get(origin)?.requestsPerSecond ?? 1,
    maxConcurrency: (origin) => paces.get(origin)?.maxConcurrency ?? 1,
    maxCrawlDelaySeconds: settings.maxCrawlDelaySeconds,
    log,
  });
  deps.gatesInUse?.add(politeness);
  try {
    const { reports } = await runCrawl({
      sources: [source],
      indexSources: whitelist,
      store,
      client: deps.client,
      indexUid: config.MEILI_INDEX,
      settings,
      resources: deps.resources,
      log,
      suspendAfterFailures: config.CRAWL_SUSPEND_AFTER_FAILURES,
      politeness,
      inSyncTurn: (sync) => store.inIndexSyncTurn(`${command}: index sync`, sync),
    });
    const report = reports[0]!;
    await saveCrawlReports(path.join(config.DATA_DIR, 'reports'), reports, new Date(), source.id);
    return { status: 'crawled', sourceId: source.id, report, summary: formatReport(report) };
  } finally {
    deps.gatesInUse?.delete(politeness);
    clearInterval(renewal);
    lease.release();
  }
}

/**
 * Each host's pace, its most cautious source's, over the whole whitelist rather than the source of
 * this job: two workers crawling two sources of one host then space their requests alike. Built once
 * a job: the gates ask for it at every request, and a whitelist has thousands of sources.
 */
function paceByOrigin(whitelist: readonly Source[]): Map<string, Source['crawl']> {
  const paces = new Map<string, Source['crawl']>();
  for (const source of whitelist) {
    const origin = new URL(source.url).origin;
    const known = paces.get(origin);
    paces.set(
      origin,
      known
        ? {
            ...known,
            requestsPerSecond: Math.min(known.requestsPerSecond, source.crawl.requestsPerSecond),
            maxConcurrency: Math.min(known.maxConcurrency, source.crawl.maxConcurrency),
          }
        : source.crawl,
    );
  }
  return paces;
}
