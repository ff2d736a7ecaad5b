import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDependencies } from '../app-dependencies.ts';
import { errorBody } from '../error-response.ts';

/** Liveness (the process answers) and readiness (Meilisearch answers too), for orchestrators. */
export function registerHealthRoutes(app: OpenAPIHono, { client }: Pick<AppDependencies, 'client'>): void {
  app.get('/healthz', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'ok' });
  });
  app.get('/readyz', async (c) => {
    c.header('Cache-Control', 'no-store');
    // Bounded: a load balancer must get an answer within a second even when Meilisearch hangs.
    const healthy = await Promise.race([
      client.health().then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 1000).unref()),
    ]);
    return healthy
      ? c.json({ status: 'ready' })
      : c.json(errorBody('search_engine_unavailable', 'Meilisearch is unreachable.'), 503);
  });
}
