import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/** The route of a request that matched none (a 404 from app.notFound). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The pattern of the route that answered a request (`/v1/documents/:id`), not its path: metrics and
 * logs are grouped by it, and a label per path would make one series per document id or per
 * scanner's guess. Middleware is registered for every method (app.use): the route is the last
 * matched handler registered for a method of its own. Read after `await next()`.
 */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let index = routes.length - 1; index >= 0; index--) {
    const route = routes[index]!;
    if (route.method !== 'ALL') return route.path;
  }
  return UNMATCHED_ROUTE;
}
