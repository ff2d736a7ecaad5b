/**
 * `npm run crawl -- [--sources FILE] [--source ID]... [--confirm-deletions ID]...`: crawls the trusted
 * sources and indexes them; or applies deletions a run held for review.
 * Exit codes: 0 done; 1 failed; 2 invalid configuration (nothing is crawled); 3 done, but a source
 * needs attention (crawl incomplete, deletions held, documents quarantined, suspended); 4 another process is
 * writing to the store (nothing is done); 130 stopped by SIGINT or SIGTERM (the next run resumes it).
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { SourcesFileError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { createProgressPrinter } from '../crawler/crawl-progress.ts';
import { formatReport, formatTotals, needsAttention } from '../crawler/crawl-report.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import type { SourceHealth } from '../store/source-health.ts';
import { StoreBusyError } from '../store/writer-lock.ts';
import { saveCrawlReports } from './crawl-report-file.ts';
import { runCrawl } from './run-crawl.ts';
import { crawlSettingsOf } from './crawl-settings-of.ts';
import { exitCodeOf } from '../core/exit-code.ts';

const USAGE =
  'Usage: npm run crawl -- [--sources FILE] [--source ID]... [--confirm-deletions ID]... [--wait]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string' },
      source: { type: 'string', multiple: true },
      'confirm-deletions': { type: 'string', multiple: true },
      wait: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(process.env);
  const file = values.sources ?? config.SOURCES_FILE;
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const allSources = await loadSourcesFile(file, resources.territories, {
    allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS,
  });
  const wanted = values.source ?? [];
  const unknown = wanted.filter((id) => !allSources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new SourcesFileError(unknown.map((id) => ({ file, entry: id, message: 'no source with this id' })));
  }
  const sources = wanted.length > 0 ? allSources.filter((source) => wanted.includes(source.id)) : allSources;
  // The whitelist is what may be indexed, whatever this run crawls: a file of one's own adds to it.
  const isWhitelist = path.resolve(file) === path.resolve(config.SOURCES_FILE);
  const whitelist = isWhitelist ? allSources : await loadWhitelist(config.SOURCES_FILE, resources);

  await ensureWritableDataDir(config.DATA_DIR);
  const log = createLogger(config.LOG_LEVEL, 'crawler');
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  let release: (() => void) | undefined;
  try {
    const command = `npm run crawl ${process.argv.slice(2).join(' ')}`.trim();
    release = values.wait ? await lockWhenFree(store, command) : store.lockForWriting(command);
    const engine = await connectSearchEngine(config, log);
    // Ctrl-C or SIGTERM: leave the store and the shared Meilisearch as a finished run would (the
    // next run resumes what was queued), rather than leave a Meilisearch no one uses.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`${signal}: stopping; the next npm run crawl resumes where this one stopped.`);
        void engine.stop().finally(() => {
          release?.();
          store.close();
          process.exit(130);
        });
      });
    }
    try {
      const confirmed = values['confirm-deletions'] ?? [];
      if (confirmed.length > 0) {
        // An admin reviewed the held deletions of these sources: apply them, crawl nothing.
        for (const id of confirmed)
          console.log(
            `${id}: ${store.documents.confirmHeldDeletions(id, new Date().toISOString())} deletions confirmed`,
          );
        await syncIndex({
          documents: store.documents,
          client: engine.client,
          indexUid: config.MEILI_INDEX,
          sources: mergeById(whitelist, allSources),
          resources,
          log,
        });
        return 0;
      }
      retireDelistedSources(store, { isWhitelist, fullRun: wanted.length === 0, listed: allSources });
      const settings = crawlSettingsOf(config);
      const { reports, indexing, suspensions } = await runCrawl({
        sources,
        indexSources: whitelist,
        store,
        client: engine.client,
        indexUid: config.MEILI_INDEX,
        settings,
        resources,
        log,
        onProgress: createProgressPrinter((text) => process.stderr.write(text)),
        suspendAfterFailures: config.CRAWL_SUSPEND_AFTER_FAILURES,
      });
      for (const report of reports) console.log(formatReport(report));
      for (const health of suspensions.skipped)
        console.log(formatSuspension(health, 'not crawled: SUSPENDED'));
      for (const health of suspensions.suspended) console.log(formatSuspension(health, 'SUSPENDED now'));
      const reportFile = await saveCrawlReports(path.join(config.DATA_DIR, 'reports'), reports, new Date());
      console.log(`Report: ${reportFile}`);
      if (indexing.waiting > 0) {
        console.log(
          `${indexing.waiting} pending documents of sources neither crawled nor in ${config.SOURCES_FILE} were left waiting.`,
        );
      }
      console.log(formatTotals(reports));
      const suspended = suspensions.skipped.length + suspensions.suspended.length;
      return reports.some(needsAttention) || suspended > 0 ? 3 : 0;
    } finally {
      await engine.stop();
    }
  } finally {
    release?.();
    store.close();
  }
}

/**
 * `--wait`: the store's lock once its holder is done (the scheduler's crawl beside `npm start`, a
 * worker's), asked again every second; said once, on stderr, with who holds it.
 */
async function lockWhenFree(store: CrawlStore, command: string): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      return store.lockForWriting(command);
    } catch (error) {
      if (!(error instanceof StoreBusyError)) throw error;
      if (!told) {
        console.error(
          `Waiting for ${error.holder.command} (pid ${error.holder.pid}) to finish writing to the store…`,
        );
        told = true;
      }
      await sleep(1000);
    }
  }
}

/** A suspended source's line: what an operator reads, and what to do. */
function formatSuspension(health: SourceHealth, what: string): string {
  const causes = health.causes.map((cause) => `${cause.cause} (${cause.detail})`).join(', ');
  return (
    `${health.sourceId}: ${what} after ${health.consecutiveFailures} failing runs in a row: ${causes}; ` +
    'an admin enables it again (POST /v1/admin/sources/<id>/enable) once the site is back'
  );
}

/**
 * A source that left the whitelist leaves the index, on a full crawl of the whitelist only: a file
 * of one's own (`--sources my.yaml`) or a crawl of some sources says nothing of the others.
 */
function retireDelistedSources(
  store: CrawlStore,
  run: { isWhitelist: boolean; fullRun: boolean; listed: readonly Source[] },
): void {
  const listed = new Set(run.listed.filter((source) => source.enabled).map((source) => source.id));
  const delisted = store.documents.documentSourceIds().filter((id) => !listed.has(id));
  if (delisted.length === 0) return;
  if (!run.isWhitelist || !run.fullRun) {
    console.log(
      `Not retiring ${delisted.join(', ')}: only a full crawl of the whitelist (SOURCES_FILE) removes sources.`,
    );
    return;
  }
  for (const id of delisted) {
    const removed = store.documents.retireSource(id, new Date().toISOString());
    console.log(`${id}: no longer an enabled source, ${removed} documents removed`);
  }
}

/** The configured whitelist, when another file is crawled; none if it cannot be read. */
async function loadWhitelist(
  file: string,
  resources: Awaited<ReturnType<typeof loadIndexerResources>>,
): Promise<Source[]> {
  try {
    return await loadSourcesFile(file, resources.territories);
  } catch (error) {
    if (!(error instanceof SourcesFileError)) throw error;
    console.error(
      `Warning: the whitelist ${file} could not be read; only the given file's sources are indexed.`,
    );
    return [];
  }
}

function mergeById(whitelist: readonly Source[], given: readonly Source[]): Source[] {
  const ids = new Set(given.map((source) => source.id));
  return [...given, ...whitelist.filter((source) => !ids.has(source.id))];
}

try {
  process.exitCode = await main();
} catch (error) {
  process.exitCode = exitCodeOf(error, USAGE, [[StoreBusyError, 4]]);
}
