import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { OriginNotAllowedError, UnknownPartnerKeyError } from '../core/errors.ts';
import type { AppEnv } from './app-env.ts';
import type { PartnerDirectory } from './partner-directory.ts';

const METHODS = 'GET, HEAD, OPTIONS';

/**
 * Who a `/v1/*` request is for, and which browsers may read its answer.
 *
 * - Without `key`: the public read-only API, readable from any site (CORS `*`), counted per address.
 * - With `key`: the partner holding it (an unknown key is a 401). Its scope is then applied to the
 *   search by the routes, and a browser may read the answer only on the partner's own origins: the
 *   request of a page elsewhere gets a 403 without CORS headers, so another site cannot spend the
 *   partner's allowance from its visitors' browsers. A request without `Origin` (a server, curl) is
 *   served within the scope: the key is public, the scope is what it gives.
 */
export function partnerAccess(partners: PartnerDirectory | undefined): MiddlewareHandler<AppEnv> {
  const open = cors({
    origin: '*',
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    exposeHeaders: ['Retry-After'],
    maxAge: 86_400,
  });
  return async (c, next) => {
    const key = c.req.query('key');
    if (key === undefined) {
      c.set('partner', undefined);
      return open(c, next);
    }
    const partner = partners?.byKey(key);
    if (!partner) throw new UnknownPartnerKeyError();
    const origin = c.req.header('origin');
    if (origin !== undefined && !partner.origins.includes(origin)) {
      throw new OriginNotAllowedError(partner.id, origin);
    }
    c.set('partner', partner);
    // The answer differs by Origin (allowed or not) and must not be cached across origins.
    c.header('Vary', 'Origin');
    if (origin !== undefined) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', 'Retry-After');
    }
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', METHODS);
      c.header('Access-Control-Max-Age', '86400');
      const requested = c.req.header('access-control-request-headers');
      if (requested) c.header('Access-Control-Allow-Headers', requested);
      return c.body(null, 204);
    }
    await next();
  };
}
