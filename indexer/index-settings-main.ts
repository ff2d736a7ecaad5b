/**
 * `npm run index:settings`: applies the index settings in code (index-settings.ts) to the live
 * index, creating it if need be. The API never changes the settings of an existing index (it only
 * warns when they differ); this, or `npm run reindex`, is how a settings change reaches it.
 */
import { loadConfig } from '../core/config.ts';
import { ConfigError, SearchEngineUnavailableError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { ensureIndex } from './index-settings.ts';
import { loadIndexerResources } from './indexer-resources.ts';

try {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL, 'index-settings');
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const engine = await connectSearchEngine(config, log);
  try {
    console.log(
      `Applying the index settings to '${config.MEILI_INDEX}'. This may take a while: Meilisearch first ` +
        'finishes the tasks queued before (a crawl being indexed), then re-indexes every document; ' +
        'searches keep their current settings until it is done.',
    );
    await ensureIndex(engine.client, config.MEILI_INDEX, resources.settings);
    console.log(`The settings in code are applied to '${config.MEILI_INDEX}'.`);
  } finally {
    await engine.stop();
  }
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof SearchEngineUnavailableError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
