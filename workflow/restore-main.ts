/**
 * `npm run restore -- DIR`: brings back a backup of `npm run backup` into DATA_DIR: the crawl store
 * and reports, and the index (the embedded Meilisearch imports the dump; with MEILI_URL, the index
 * is rebuilt from the restored store, its documents being the store's). What was in DATA_DIR is
 * kept aside (`*.before-restore-<time>`). Nothing may be using DATA_DIR meanwhile.
 * Exit codes: 0 done; 1 failed; 2 invalid configuration; 4 DATA_DIR in use.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { AppError, ConfigError, SourcesFileError, StartupError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { isParseArgsError } from '../core/parse-args-error.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { reindex } from '../indexer/reindex.ts';
import { embeddedMeilisearchRunning, startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { StoreBusyError } from '../store/writer-lock.ts';
import { readManifest, restoreStoreAndReports, setAsideDatabase } from './backup.ts';

const USAGE = 'Usage: npm run restore -- DIR (a folder written by npm run backup)';

class DataDirInUseError extends AppError {
  readonly code = 'data_dir_in_use';
}

try {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true });
  if (positionals.length !== 1)
    throw Object.assign(new Error('one backup folder is needed'), { code: 'ERR_PARSE_ARGS_USAGE' });
  const from = path.resolve(positionals[0]!);
  const manifest = await readManifest(from);
  const config = loadConfig(process.env);
  await ensureWritableDataDir(config.DATA_DIR);
  const log = createLogger(config.LOG_LEVEL, 'restore');
  if (!config.MEILI_URL && embeddedMeilisearchRunning(config.DATA_DIR)) {
    throw new DataDirInUseError(
      `A Meilisearch runs on ${config.DATA_DIR} (npm start, a crawl): stop every process using DATA_DIR, then restore.`,
    );
  }
  // Nobody may be writing the store it replaces: take its lock once, as a check.
  const current = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  try {
    current.lockForWriting('npm run restore')();
  } finally {
    current.close();
  }
  await restoreStoreAndReports(from, config.DATA_DIR);
  if (!config.MEILI_URL && manifest.meilisearch.file) {
    await setAsideDatabase(config.DATA_DIR);
    const meili = await startEmbeddedMeilisearch({
      dataDir: config.DATA_DIR,
      ...(config.MEILI_MASTER_KEY ? { masterKey: config.MEILI_MASTER_KEY } : {}),
      log,
      importDump: path.join(from, manifest.meilisearch.file),
      startupTimeoutMs: 60 * 60_000,
    });
    await meili.stop();
    console.log(
      `Restored the crawl store and the index (dump ${manifest.meilisearch.dumpUid}) from ${from}.`,
    );
  } else {
    // The dump is on a server this process cannot reach the disk of: the store holds every document.
    const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
    const sources = await loadSourcesFile(config.SOURCES_FILE, resources.territories);
    const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
    const engine = await connectSearchEngine(config, log);
    try {
      const result = await reindex({
        documents: store.documents,
        client: engine.client,
        indexUid: config.MEILI_INDEX,
        sources,
        resources,
        log,
      });
      console.log(
        `Restored the crawl store from ${from} and rebuilt '${config.MEILI_INDEX}' from it (${result.documents} documents).`,
      );
    } finally {
      store.close();
      await engine.stop();
    }
  }
} catch (error) {
  if (error instanceof StoreBusyError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exitCode = 4;
  } else if (
    error instanceof ConfigError ||
    error instanceof SourcesFileError ||
    error instanceof StartupError ||
    isParseArgsError(error)
  ) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
}
