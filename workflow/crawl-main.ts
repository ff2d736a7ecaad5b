/**
 * `npm run crawl -- [--sources FILE] [--source ID]... [--confirm-deletions ID]...`: crawls the trusted
 * sources and indexes them; or applies deletions a run held for review.
 * Exit codes: 0 done, 1 failed, 2 invalid configuration (nothing is crawled).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { AppError, ConfigError, SourcesFileError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { syncIndex } from '../indexer/sync-index.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { createProgressPrinter } from '../crawler/crawl-progress.ts';
import { formatReport } from '../crawler/crawl-report.ts';
import { defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { runCrawl } from './run-crawl.ts';
import { CrawlStore } from '../store/crawl-store.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string' },
      source: { type: 'string', multiple: true },
      'confirm-deletions': { type: 'string', multiple: true },
    },
    strict: true,
  });
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

  const log = createLogger(config.LOG_LEVEL, 'crawler');
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  const engine = await connectSearchEngine(config, log);
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
        sources: allSources,
        resources,
        log,
      });
      return 0;
    }
    if (wanted.length === 0) {
      // A full crawl of the whitelist: sources removed from it (or disabled) leave the index.
      const listed = new Set(allSources.filter((source) => source.enabled).map((source) => source.id));
      for (const id of store.documents.documentSourceIds().filter((id) => !listed.has(id))) {
        console.log(
          `${id}: no longer an enabled source, ${store.documents.retireSource(id, new Date().toISOString())} documents removed`,
        );
      }
    }
    const defaults = defaultCrawlSettings(config.CRAWL_USER_AGENT);
    const settings = {
      ...defaults,
      globalConcurrency: config.CRAWL_CONCURRENCY,
      allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS,
      extractWorkers: config.CRAWL_EXTRACT_WORKERS ?? defaults.extractWorkers,
    };
    const reports = await runCrawl({
      sources,
      store,
      client: engine.client,
      indexUid: config.MEILI_INDEX,
      settings,
      resources,
      log,
      onProgress: createProgressPrinter((text) => process.stderr.write(text)),
    });
    for (const report of reports) console.log(formatReport(report));
    const reportFile = path.join(
      config.DATA_DIR,
      'reports',
      `crawl-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
    await mkdir(path.dirname(reportFile), { recursive: true });
    await writeFile(reportFile, `${JSON.stringify(reports, null, 2)}\n`);
    console.log(`Report: ${reportFile}`);
    return 0;
  } finally {
    store.close();
    await engine.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof SourcesFileError || error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (isUsageError(error)) {
    console.error(
      `${error.message}\nUsage: npm run crawl -- [--sources FILE] [--source ID]... [--confirm-deletions ID]...`,
    );
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

function isUsageError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
