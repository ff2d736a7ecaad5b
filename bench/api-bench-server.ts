/**
 * The API process of `npm run bench:api`: the real app (createApp) with the search cache and the
 * index-change watcher wired as in production, served by @hono/node-server in its own process so it
 * shares no event loop with the load generator. Prints `LISTENING <port>` when ready.
 *
 * Bench-only routes: POST /__bench/invalidate (a cold cache for each run), GET /__bench/cache-stats.
 */
import { serve } from '@hono/node-server';
import { watchIndexChanges } from '../api/index-change-watcher.ts';
import { createApp } from '../api/app.ts';
import { buildBrowserAssets } from '../api/browser-assets.ts';
import { prepareQuery } from '../api/query-text.ts';
import { RateLimiter } from '../api/rate-limiter.ts';
import { SearchCache } from '../api/search-cache.ts';
import { createLogger } from '../core/logger.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { benchSource } from './real-pages.ts';

const { BENCH_MEILI_URL, BENCH_MEILI_KEY, BENCH_INDEX } = process.env;
if (!BENCH_MEILI_URL || !BENCH_MEILI_KEY || !BENCH_INDEX) {
  throw new Error('BENCH_MEILI_URL, BENCH_MEILI_KEY and BENCH_INDEX must be set');
}

const log = createLogger('warn', 'bench-api');
const resources = await loadIndexerResources();
// Not the ~1 s production timeout: 20 connections saturate Meilisearch on purpose here, its own
// latency then exceeds a second, and cutting requests off would turn throughput into 503s.
const client = createMeiliClient(BENCH_MEILI_URL, BENCH_MEILI_KEY, { timeoutMs: 10_000 });
const cache = new SearchCache();
const stopWatching = watchIndexChanges({
  client,
  indexUid: BENCH_INDEX,
  intervalMs: 2_000,
  onChange: () => cache.invalidate(),
  onError: (error) => log.warn({ err: error }, 'could not check the index for changes'),
});
const app = createApp({
  client,
  indexUid: BENCH_INDEX,
  sources: [benchSource()],
  resources,
  log,
  cache,
  prepareQuery,
  // Wired as in production so that its cost is measured, with a limit the load generator (one
  // address, hundreds of requests a second) never reaches.
  rateLimiter: new RateLimiter({ perMinute: 1e9 }),
  // The search page as served, its style and script links included (bench:page).
  assets: await buildBrowserAssets(),
});
app.post('/__bench/invalidate', (c) => {
  cache.invalidate();
  return c.json({ invalidated: true });
});
app.get('/__bench/cache-stats', (c) => c.json(cache.stats()));

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`LISTENING ${info.port}`);
});
process.once('SIGTERM', () => {
  void Promise.all([stopWatching(), new Promise((resolve) => server.close(resolve))]).then(() =>
    process.exit(0),
  );
});
