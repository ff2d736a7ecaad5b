/** `npm start`: the HTTP API, on an embedded Meilisearch unless MEILI_URL is set. */
import path from 'node:path';
import { serve } from '@hono/node-server';
import { loadConfig } from '../core/config.ts';
import { ConfigError, SourcesFileError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { registerSearchKey, searchKeyValue } from '../meili/search-key.ts';
import { API_SEARCH_TIMEOUT_MS, createApiMeiliClient } from './api-meili-client.ts';
import { createApp } from './app.ts';
import { watchIndexChanges } from './index-change-watcher.ts';
import { prepareIndex } from './index-preparation.ts';
import { readLastCrawls } from './last-crawls.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SearchCache } from './search-cache.ts';
import { SemanticSearch } from './semantic-search.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL, 'api');
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const sources = await loadSourcesFile(config.SOURCES_FILE, resources.territories);
  // A search that takes longer than this is useless to a user: answer 503 and shed the load.
  const engine = await connectSearchEngine(config, log, { timeoutMs: API_SEARCH_TIMEOUT_MS });
  // Created with the settings in code if missing, compared with them otherwise; never waited for:
  // applying settings waits behind Meilisearch's task queue (index-preparation.ts).
  const preparation = prepareIndex({
    admin: engine.client,
    indexUid: config.MEILI_INDEX,
    settings: resources.settings,
    log,
  });
  // Requests are served with a key that can only read the index (meili/search-key.ts): the master
  // key (engine.client) prepares the index and registers that key, and nothing a request reaches
  // uses it. A Meilisearch without a master key has no keys at all.
  const searchKey = engine.masterKey && searchKeyValue(engine.masterKey, config.MEILI_INDEX);
  const client = createApiMeiliClient(engine.url, searchKey);
  const keyRegistration = searchKey
    ? registerSearchKey({
        admin: engine.client,
        indexUid: config.MEILI_INDEX,
        expected: searchKey,
        retryMs: 5_000,
        onRegistered: () => log.info('requests are served with a search-only Meilisearch key'),
        onRetry: (error) => log.warn({ err: error }, 'could not register the search key yet; retrying'),
        onMismatch: () => {
          log.fatal('Meilisearch gave the search key another value than expected; the API cannot serve');
          process.exitCode = 1;
          void shutdown();
        },
      })
    : undefined;
  // Partner widgets repeat the same queries; an indexing run that changes the index empties the cache.
  const cache = new SearchCache();
  const stopWatching = watchIndexChanges({
    client,
    indexUid: config.MEILI_INDEX,
    intervalMs: 5_000,
    onChange: () => cache.invalidate(),
    onError: (error) => log.warn({ err: error }, 'could not check the index for changes'),
  });
  const app = createApp({
    client,
    indexUid: config.MEILI_INDEX,
    sources,
    resources,
    log,
    lastCrawls: () => readLastCrawls(path.join(config.DATA_DIR, 'reports')),
    cache,
    ...(config.API_RATE_LIMIT_PER_MINUTE > 0
      ? { rateLimiter: new RateLimiter({ perMinute: config.API_RATE_LIMIT_PER_MINUTE }) }
      : {}),
    trustProxy: config.API_TRUST_PROXY,
    ...(config.MEILI_EMBEDDER ? { semantic: new SemanticSearch(config.SEARCH_SEMANTIC_WEIGHT) } : {}),
  });
  log.info(
    { perMinute: config.API_RATE_LIMIT_PER_MINUTE, trustProxy: config.API_TRUST_PROXY },
    config.API_RATE_LIMIT_PER_MINUTE > 0
      ? `each client may cause ${config.API_RATE_LIMIT_PER_MINUTE} searches a minute, counted by ${config.API_TRUST_PROXY ? 'the last X-Forwarded-For address' : 'socket address'}`
      : 'no rate limit',
  );
  const server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    console.log(`API listening on http://${config.HOST}:${info.port} (search: /v1/search?q=...)`);
  });

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await new Promise((resolve) => server.close(resolve));
    await keyRegistration?.stop();
    await stopWatching();
    await preparation.stop();
    await engine.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void shutdown().then(() => process.exit(0)));
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof SourcesFileError || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
