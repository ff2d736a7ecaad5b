import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.ts';
import type { AppDependencies } from '../app-dependencies.ts';
import { notReadyResponse } from '../error-response.ts';

/** Longest a readiness check waits for Meilisearch: a load balancer must get an answer quickly. */
const READINESS_TIMEOUT_MS = 1_000;

/**
 * Liveness (the process answers) and readiness (a search works), for orchestrators. Ready means
 * what a user's search needs, checked by doing one: Meilisearch answers, accepts the key the API
 * serves with (registered in the background at start-up, meili/search-key.ts), and has the index.
 * `/health` alone said ready while every search failed for want of the key.
 */
export function registerHealthRoutes(
  app: OpenAPIHono<AppEnv>,
  { client, indexUid }: Pick<AppDependencies, 'client' | 'indexUid'>,
): void {
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    try {
      // The smallest real search (no hits asked for), with the client requests are served with.
      await client
        .index(indexUid)
        .search('', { limit: 0 }, { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
      return c.json({ status: 'ready' });
    } catch (error) {
      return notReadyResponse(c, error);
    }
  });
}
