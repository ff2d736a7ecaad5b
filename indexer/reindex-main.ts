/** `npm run reindex`: rebuilds the index from the crawl store with the current settings, no downtime. */
import path from 'node:path';
import { loadConfig } from '../core/config.ts';
import { ConfigError, SourcesFileError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { loadIndexerResources } from './indexer-resources.ts';
import { reindex } from './reindex.ts';

try {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL, 'reindex');
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
    console.log(`Rebuilt '${config.MEILI_INDEX}' with ${result.documents} documents and swapped it in.`);
  } finally {
    store.close();
    await engine.stop();
  }
} catch (error) {
  if (!(error instanceof SourcesFileError || error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
