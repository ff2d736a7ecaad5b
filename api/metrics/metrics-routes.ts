import { createHash, timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AdminTokens } from '../../core/admin-tokens.ts';
import { UnauthorizedError } from '../../core/errors.ts';
import type { AppEnv } from '../app-env.ts';
import type { ApiMetrics } from './api-metrics.ts';

/**
 * `GET /metrics`, Prometheus' text format, for whoever holds the metrics token (METRICS_TOKEN) or an
 * admin token (read rights are enough: the metrics say less than the admin API does). Registered only
 * when METRICS_TOKEN is set: otherwise /metrics does not exist (404), so that an API put online
 * without thinking about it shows nothing of its sources, its traffic or its partners. Left out of
 * the OpenAPI document: it is the operators', not the API's users'.
 */
export function registerMetricsRoutes(
  app: OpenAPIHono<AppEnv>,
  metrics: ApiMetrics,
  access: { metricsToken: string; adminTokens?: AdminTokens | undefined },
): void {
  const expected = digest(access.metricsToken);
  app.get('/metrics', async (c) => {
    const header = c.req.header('authorization') ?? '';
    const presented = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(header)?.[1];
    if (presented === undefined) throw new UnauthorizedError('missing', 'metrics');
    // Compared as SHA-256 digests, in constant time: equal lengths whatever was presented, and the
    // time taken says nothing of how much of the token matched.
    const isMetricsToken = timingSafeEqual(digest(presented), expected);
    if (!isMetricsToken && !access.adminTokens?.verify(presented)) {
      throw new UnauthorizedError('invalid', 'metrics');
    }
    const { body, contentType } = await metrics.scrape();
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', contentType);
    return c.body(body, 200);
  });
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
