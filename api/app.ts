import { createHash } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { compress } from 'hono/compress';
import { etag } from 'hono/etag';
import type { AppDependencies } from './app-dependencies.ts';
import type { AppEnv } from './app-env.ts';
import { renderDocsPage } from './docs-page.ts';
import { errorBody, errorResponse, invalidParameters } from './error-response.ts';
import { partnerAccess } from './partner-access.ts';
import { rateLimit } from './rate-limit.ts';
import { registerCatalogRoutes } from './routes/catalog-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerProjectPageRoutes } from './routes/project-page-routes.ts';
import { registerSearchPageRoutes } from './routes/search-page-routes.ts';
import { registerSearchRoutes } from './routes/search-routes.ts';
import { registerAdminRoutes } from './admin/admin-routes.ts';
import { createSearchService } from './search-service.ts';
import { ApiMetrics } from './metrics/api-metrics.ts';
import { httpMetrics } from './metrics/http-metrics.ts';
import { registerMetricsRoutes } from './metrics/metrics-routes.ts';
import { registerScrapeMetrics } from './metrics/scrape-metrics.ts';
import { requestLog } from './request-log.ts';

export type { AppDependencies } from './app-dependencies.ts';

/** The HTTP API. Everything it needs is passed in, so tests run it against a real Meilisearch. */
export function createApp(deps: AppDependencies) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => (result.success ? undefined : invalidParameters(c, result.error)),
  });
  app.onError((error, c) => errorResponse(c, error, deps.log));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  // First of all: whatever is logged while a request is handled carries its id (request-log.ts).
  app.use('*', ...requestLog(deps.log));
  // Measured only where someone may read it (METRICS_TOKEN): a registry of this app's own.
  const metrics = deps.metricsToken ? new ApiMetrics() : undefined;
  if (metrics) {
    registerScrapeMetrics(metrics.registry, deps);
    app.use('*', httpMetrics(metrics));
  }

  // Public, read-only API: any site may call it from a browser; a request with a partner's key is
  // the partner's, within its scope, readable only on its origins (partner-access.ts). Retry-After is
  // exposed so that a widget's script can read how long to wait after a 429.
  app.use('/v1/*', partnerAccess(deps.partners));
  // After CORS, so that a browser can read the 429 of a partner widget; health checks are not limited.
  if (deps.rateLimiter || deps.partners) {
    const limit = rateLimit({
      ...(deps.rateLimiter ? { limiter: deps.rateLimiter } : {}),
      ...(deps.partners ? { partners: deps.partners } : {}),
      trustProxy: deps.trustProxy ?? false,
      ...(deps.semantic ? { semantic: deps.semantic } : {}),
      ...(deps.prepareQuery ? { prepareQuery: deps.prepareQuery } : {}),
    });
    app.use('/v1/*', limit);
    // The search page searches as /v1/search does, and counts as such.
    app.use('/', limit);
  }
  app.use('*', compress());
  // A client that already has the response gets a 304 instead of the body again. The digest is
  // Node's synchronous SHA-1: Hono's default, WebCrypto's async digest, was 7% of the API's CPU
  // under load (bench:api), for a tag that only has to change when the body does.
  app.use('*', etag({ generateDigest: sha1Digest }));

  const search = createSearchService(deps, metrics);
  registerHealthRoutes(app, deps);
  registerSearchRoutes(app, deps, search);
  registerSearchPageRoutes(app, deps, search);
  registerCatalogRoutes(app, deps);
  registerProjectPageRoutes(app, deps);
  if (deps.admin) registerAdminRoutes(app, deps, deps.admin);
  if (metrics && deps.metricsToken) {
    registerMetricsRoutes(app, metrics, { metricsToken: deps.metricsToken, adminTokens: deps.admin?.tokens });
  }

  const openApi = {
    openapi: '3.1.0',
    info: { title: 'public-action search API', version: '1.0.0' },
  } as const;
  app.doc31('/openapi.json', openApi);
  app.get('/docs', (c) => c.html(renderDocsPage(app.getOpenAPI31Document(openApi) as never)));
  return app;
}

function sha1Digest(body: Uint8Array): ArrayBuffer {
  const digest = createHash('sha1').update(body).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength);
}
