import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { routeOf } from '../route-of.ts';
import type { ApiMetrics } from './api-metrics.ts';

/**
 * Counts and times every request by route pattern and status. Installed before everything else,
 * so that a 429 of the rate limit or a 401 of the admin's authentication is counted too: an error
 * thrown below has become its response (error-response.ts) by the time `next()` returns.
 */
export function httpMetrics(metrics: ApiMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    metrics.observeRequest({
      method: c.req.method,
      route: routeOf(c),
      status,
      seconds: (performance.now() - started) / 1000,
    });
    // Only the rate limit answers 429 (rate-limit.ts); a partner's visitors share its key's allowance.
    if (status === 429) metrics.rateLimited(c.get('partner') ? 'partner_key' : 'address');
  };
}
