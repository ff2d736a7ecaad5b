/**
 * `npm run reindex`: rebuilds the index from the crawl store with the current settings, no downtime.
 * Exit codes: 0 done; 1 failed; 2 invalid configuration; 4 another process is writing to the store.
 */
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { ConfigError, SourcesFileError, StartupError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { StoreBusyError } from '../store/writer-lock.ts';
import { loadIndexerResources } from './indexer-resources.ts';
import { reindex } from './reindex.ts';

try {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL, 'reindex');
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const sources = await loadSourcesFile(config.SOURCES_FILE, resources.territories);
  await ensureWritableDataDir(config.DATA_DIR);
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  let release: (() => void) | undefined;
  try {
    // A crawl writing meanwhile would have its changes marked indexed by the swap, and lost.
    release = store.lockForWriting('npm run reindex');
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
      console.log(`Rebuilt '${config.MEILI_INDEX}' with ${result.documents} documents and swapped it in.`);
      for (const document of result.quarantined) {
        console.log(`Quarantined (refused by Meilisearch): ${document.url}: ${document.error}`);
      }
      if (result.waitingSources.length > 0) {
        console.log(
          `Left out, not in ${config.SOURCES_FILE}: the documents of ${result.waitingSources.join(', ')}.`,
        );
      }
    } finally {
      await engine.stop();
    }
  } finally {
    release?.();
    store.close();
  }
} catch (error) {
  if (error instanceof StoreBusyError) {
    console.error(error.message);
    process.exitCode = 4;
  } else if (
    error instanceof SourcesFileError ||
    error instanceof ConfigError ||
    error instanceof StartupError
  ) {
    console.error(error.message);
    process.exitCode = 2;
  } else throw error;
}
