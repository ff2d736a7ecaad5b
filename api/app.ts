import { OpenAPIHono } from '@hono/zod-openapi';
import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { errorBody, errorResponse, invalidParameters } from './error-response.ts';
import { searchDocuments } from './search-documents.ts';
import { searchRoute } from './search-route.ts';
import { sourcesRoute, toPublicSource } from './sources-route.ts';

export interface AppDependencies {
  client: Meilisearch;
  indexUid: string;
  sources: readonly Source[];
  log: Logger;
}

/** The HTTP API. Everything it needs is passed in, so tests run it against a real Meilisearch. */
export function createApp({ client, indexUid, sources, log }: AppDependencies) {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => (result.success ? undefined : invalidParameters(c, result.error)),
  });
  app.onError((error, c) => errorResponse(c, error, log));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
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

  app.openapi(searchRoute, async (c) =>
    c.json(await searchDocuments(client, indexUid, c.req.valid('query')), 200),
  );
  const publicSources = sources.filter((source) => source.enabled).map(toPublicSource);
  app.openapi(sourcesRoute, (c) => c.json({ sources: publicSources }, 200));

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'public-action search API', version: '0.1.0' },
  });
  return app;
}
