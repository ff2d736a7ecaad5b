/**
 * `npm start`: the HTTP API, on an embedded Meilisearch unless MEILI_URL is set; searching the hosts
 * of MEILI_SEARCH_URLS when set.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { type Config, loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { AppError, ConfigError, PartnersFileError, SourcesFileError, StartupError } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/logger.ts';
import type { Partner } from '../core/partner.ts';
import { loadPartnersFile } from '../core/partners-file.ts';
import type { Source } from '../core/source.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { type IndexerResources, loadIndexerResources } from '../indexer/indexer-resources.ts';
import { connectSearchEngine, type SearchEngine } from '../meili/search-engine.ts';
import { API_SEARCH_TIMEOUT_MS } from './api-meili-client.ts';
import { createApp } from './app.ts';
import { type BrowserAssets, buildBrowserAssets } from './browser-assets.ts';
import { closeGracefully } from './graceful-close.ts';
import { watchIndexChanges } from './index-change-watcher.ts';
import { prepareIndex } from './index-preparation.ts';
import { readLastCrawls } from './last-crawls.ts';
import { listen } from './listen.ts';
import { PartnerDirectory } from './partner-directory.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SearchCache } from './search-cache.ts';
import { SemanticSearch } from './semantic-search.ts';
import { connectServingClient } from './serving-client.ts';
import { type AdminTokens, loadAdminTokens } from '../core/admin-tokens.ts';
import { SourcesFileEditor } from '../core/sources-file-editor.ts';
import { defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { previewScope } from '../crawler/scope-preview.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { Recrawls } from '../workflow/recrawls.ts';
import { Scheduler } from '../workflow/scheduler.ts';
import { CrawlQueue } from '../workflow/crawl-queue.ts';
import { createUrlInspector } from '../workflow/url-inspector.ts';
import type { AdminDependencies } from './admin/admin-dependencies.ts';
import { QueryInsights } from './admin/query-insights.ts';
import { SourcesCatalog } from './admin/sources-catalog.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.LOG_LEVEL, 'api');
  // Checked before anything starts: a token written in clear (not its hash) stops the API here.
  const tokens = await loadAdminTokens(config.ADMIN_TOKENS, config.ADMIN_TOKENS_FILE);
  if (tokens.size === 0)
    log.info('no admin token configured (ADMIN_TOKENS, ADMIN_TOKENS_FILE): the admin API refuses everyone');
  // First, before anything is started in it (the embedded Meilisearch keeps its database there).
  await ensureWritableDataDir(config.DATA_DIR);
  const resources = await loadIndexerResources({ embedder: config.MEILI_EMBEDDER });
  const sources = await loadSourcesFile(config.SOURCES_FILE, resources.territories);
  const partners = await loadPartnersFile(config.PARTNERS_FILE, {
    territories: resources.territories,
    sourceIds: new Set(sources.filter((source) => source.enabled).map((source) => source.id)),
    themeSlugs: new Set(resources.taxonomy.themes.map((theme) => theme.slug)),
  });
  const assets = await buildBrowserAssets();
  // A search that takes longer than this is useless to a user: answer 503 and shed the load.
  const engine = await connectSearchEngine(config, log, { timeoutMs: API_SEARCH_TIMEOUT_MS });
  // What to stop on SIGTERM, or when start-up fails after this point, latest first; the embedded
  // Meilisearch last, so that a failed start never leaves it running without its owner.
  const stops: (() => Promise<void>)[] = [() => engine.stop()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    await serve({ config, log, resources, sources, partners, assets, engine, stops, stopAll, tokens });
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface StartContext {
  config: Config;
  log: Logger;
  resources: IndexerResources;
  sources: readonly Source[];
  partners: readonly Partner[];
  assets: BrowserAssets;
  engine: SearchEngine;
  /** Where to add what must be stopped. */
  stops: (() => Promise<void>)[];
  stopAll: () => Promise<void>;
  tokens: AdminTokens;
}

/** Everything after the search engine: the index, the key, the app, and listening. */
async function serve({
  config,
  log,
  resources,
  sources,
  partners,
  assets,
  engine,
  stops,
  stopAll,
  tokens,
}: StartContext): Promise<void> {
  // Created with the settings in code if missing, compared with them otherwise; never waited for:
  // applying settings waits behind Meilisearch's task queue (index-preparation.ts).
  const preparation = prepareIndex({
    admin: engine.client,
    indexUid: config.MEILI_INDEX,
    settings: resources.settings,
    log,
  });
  stops.push(() => preparation.stop());
  const { client, searchHosts } = connectServingClient({
    engine,
    indexUid: config.MEILI_INDEX,
    searchUrls: config.MEILI_SEARCH_URLS,
    searchKey: config.MEILI_SEARCH_KEY,
    log,
    stops,
    onMismatch: () => {
      log.fatal('Meilisearch gave the search key another value than expected; the API cannot serve');
      process.exitCode = 1;
      void stopAll();
    },
  });
  // Partner widgets repeat the same queries; an indexing run that changes the index empties the cache.
  // Each search host has its own task list: a change on any of them empties it.
  const cache = new SearchCache();
  for (const watched of searchHosts?.hosts ?? [{ client }]) {
    const host = 'url' in watched ? { host: watched.url } : {};
    stops.push(
      watchIndexChanges({
        client: watched.client,
        indexUid: config.MEILI_INDEX,
        intervalMs: 5_000,
        onChange: () => cache.invalidate(),
        onError: (error) => log.warn({ err: error, ...host }, 'could not check the index for changes'),
      }),
    );
  }
  const admin = buildAdmin({ config, log, resources, sources, engine, client, stops, tokens });
  const app = createApp({
    client,
    ...(searchHosts ? { searchHosts } : {}),
    indexUid: config.MEILI_INDEX,
    // The whitelist as admins edit it (admin/sources-catalog.ts): read at each request.
    get sources() {
      return admin.catalog.list;
    },
    admin,
    resources,
    log,
    lastCrawls: () => readLastCrawls(path.join(config.DATA_DIR, 'reports')),
    cache,
    ...(config.API_RATE_LIMIT_PER_MINUTE > 0
      ? { rateLimiter: new RateLimiter({ perMinute: config.API_RATE_LIMIT_PER_MINUTE }) }
      : {}),
    trustProxy: config.API_TRUST_PROXY,
    partners: new PartnerDirectory(partners),
    assets,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
    ...(config.MEILI_EMBEDDER ? { semantic: new SemanticSearch(config.SEARCH_SEMANTIC_WEIGHT) } : {}),
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
  });
  log.info(
    config.METRICS_TOKEN
      ? 'Prometheus metrics at /metrics, for the METRICS_TOKEN or an admin token'
      : 'no METRICS_TOKEN: /metrics is off',
  );
  log.info(
    { perMinute: config.API_RATE_LIMIT_PER_MINUTE, trustProxy: config.API_TRUST_PROXY },
    config.API_RATE_LIMIT_PER_MINUTE > 0
      ? `each client may cause ${config.API_RATE_LIMIT_PER_MINUTE} searches a minute, counted by ${config.API_TRUST_PROXY ? 'the last X-Forwarded-For address' : 'socket address'}`
      : 'no rate limit',
  );
  // Plain HTTP/1.1 (no TLS, no HTTP/2 option given): a node:http Server.
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const port = await listen(server, config.HOST, config.PORT);
  // Stopped right after the scheduler (stops run latest first): the requests in flight are answered while the store,
  // the recrawls and Meilisearch they need are still there.
  stops.push(() => closeGracefully(server, { graceMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000, log }));
  // Crawls start once the API answers. Stopped first (stops run latest first): on SIGTERM it starts
  // nothing new while the server, the crawls and the store stop.
  const scheduler = admin.schedule;
  if (scheduler) {
    scheduler.start();
    stops.push(() => Promise.resolve(scheduler.stop()));
    log.info(
      config.REDIS_URL
        ? 'scheduler started: each enabled source is queued for the crawl workers when due (SCHEDULER=off: never)'
        : 'scheduler started: each enabled source is recrawled when due (SCHEDULER=off: never)',
    );
  }
  log.info({ partners: partners.filter((partner) => partner.enabled).length }, 'partners loaded');
  console.log(`API listening on http://${config.HOST}:${port} (search page: /, API: /v1/search?q=...)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping: requests in flight, then recrawls, then Meilisearch');
      void stopAll().then(() => {
        log.info('stopped');
        process.exit(process.exitCode ?? 0);
      });
    });
  }
}

/**
 * The admin API's dependencies: the crawl store (audit log, suspensions, best bets, query counts),
 * the sources file's editor, and the crawler's and workflow's tools it may not import itself.
 */
function buildAdmin({
  config,
  log,
  resources,
  sources,
  engine,
  client,
  stops,
  tokens,
}: Pick<StartContext, 'config' | 'log' | 'resources' | 'sources' | 'engine' | 'stops' | 'tokens'> & {
  client: AdminDependencies['indexClient'];
}): AdminDependencies & { schedule?: Scheduler } {
  const hosts = { allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS };
  const catalog = new SourcesCatalog(
    new SourcesFileEditor(config.SOURCES_FILE, { territories: resources.territories, hosts }),
    sources,
  );
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  const insights = new QueryInsights(store.queryCounts);
  // Counts reach the store once a minute, and at shutdown.
  const flushing = setInterval(() => insights.flush(), 60_000);
  flushing.unref();
  const recrawler = new Recrawls({ env: process.env });
  stops.push(async () => {
    clearInterval(flushing);
    insights.flush();
    // Each stops at a clean point, as Ctrl-C stops npm run crawl: the next crawl resumes it.
    await recrawler.stop();
    store.close();
  });
  // Past one machine, due sources go to the crawl workers through Redis; else this process crawls them.
  const queue = config.REDIS_URL ? new CrawlQueue(config.REDIS_URL) : undefined;
  if (queue) stops.push(() => queue.close());
  const scheduler =
    config.SCHEDULER === 'on'
      ? buildScheduler({ config, log, catalog, store, recrawler, ...(queue ? { queue } : {}) })
      : undefined;
  const settings = {
    ...defaultCrawlSettings(config.CRAWL_USER_AGENT),
    allowPrivateNetworks: hosts.allowPrivateNetworks,
  };
  return {
    tokens,
    catalog,
    store,
    indexClient: engine.client,
    reportsDir: path.join(config.DATA_DIR, 'reports'),
    inspectUrl: createUrlInspector({
      sources: () => Promise.resolve(catalog.list),
      store,
      client,
      indexUid: config.MEILI_INDEX,
      settings,
    }),
    previewScope: (source, limit) => previewScope(source, { sources: catalog.list, settings, limit }),
    recrawler,
    ...(scheduler ? { schedule: scheduler } : {}),
    ...(queue ? { crawlQueue: queue } : {}),
    insights,
    now: () => new Date(),
  };
}

/** Recrawls each source when it is due, through the admin API's recrawls (workflow/scheduler.ts). */
function buildScheduler(parts: {
  config: Config;
  log: Logger;
  catalog: SourcesCatalog;
  store: CrawlStore;
  recrawler: Recrawls;
  queue?: CrawlQueue;
}): Scheduler {
  const { config, catalog } = parts;
  return new Scheduler({
    ...(parts.queue ? { queue: parts.queue } : {}),
    sources: () => catalog.list,
    refreshSources: () => catalog.refresh(),
    store: parts.store,
    recrawls: parts.recrawler,
    rules: { defaultIntervalMs: config.CRAWL_DEFAULT_INTERVAL, maxBackoffMs: config.CRAWL_MAX_BACKOFF },
    now: () => new Date(),
    log: parts.log.child({ component: 'scheduler' }),
  });
}

try {
  await main();
} catch (error) {
  // A start-up failure is a message for the operator, not a stack trace: what is wrong and which
  // setting to change. Anything else is a bug, and keeps its stack.
  if (
    error instanceof ConfigError ||
    error instanceof SourcesFileError ||
    error instanceof PartnersFileError ||
    error instanceof StartupError
  ) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof AppError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
