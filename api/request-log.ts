import type { MiddlewareHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { Logger } from '../core/logger.ts';
import { routeOf } from './route-of.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The API's logger with this request's id: what is logged while handling it goes through it. */
    log: Logger;
  }
}

/**
 * Longest X-Request-Id taken from a client (a proxy's or a load balancer's id, to follow a request
 * through them); a UUID is 36. Beyond it, or with any character outside [A-Za-z0-9_=-]
 * (hono/request-id's check), a new id is made: a client must not be able to write into our logs.
 */
export const MAX_REQUEST_ID_LENGTH = 64;

/** Polled by orchestrators and Prometheus every few seconds: their lines would drown the others. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Gives every request an id, echoed in X-Request-Id, and a child logger carrying it (`c.get('log')`),
 * then logs one line when the request is answered: method, route, status, duration. The query
 * string is never logged: it holds what people search for.
 */
export function requestLog(log: Logger): MiddlewareHandler[] {
  const logRequest: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    const requestLog = log.child({ requestId: c.get('requestId') });
    c.set('log', requestLog);
    await next();
    const route = routeOf(c);
    const line = {
      method: c.req.method,
      route,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    if (QUIET_ROUTES.has(route)) requestLog.debug(line, 'request');
    else requestLog.info(line, 'request');
  };
  return [requestId({ limitLength: MAX_REQUEST_ID_LENGTH }), logRequest];
}
