import type { MiddlewareHandler } from 'hono';
import type { AdminRight, AdminToken, AdminTokens } from '../../core/admin-tokens.ts';
import { ForbiddenError, UnauthorizedError } from '../../core/errors.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The admin token a request was authenticated with (admin routes only). */
    adminToken: AdminToken;
  }
}

/** Methods that change nothing: a read-only token may use them; anything else needs `write`. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Every admin request carries `Authorization: Bearer <token>`: 401 without one or with one that is
 * not configured, 403 when the token lacks the right (the method decides: only GET and HEAD are
 * reads, so that no route can forget to ask for `write`). Admin answers are never cached.
 * (hono/bearer-auth was not used: its errors bypass api/error-response.ts, and it has no rights.)
 */
export function adminAuth(tokens: AdminTokens): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer[ \t]+([A-Za-z0-9._~+/=-]+)[ \t]*$/i.exec(header);
    if (!match) throw new UnauthorizedError('missing');
    const token = tokens.verify(match[1]!);
    if (!token) throw new UnauthorizedError('invalid');
    const needed: AdminRight = READ_METHODS.has(c.req.method) ? 'read' : 'write';
    if (needed === 'write' && token.rights !== 'write') throw new ForbiddenError(token.name, needed);
    c.set('adminToken', token);
    await next();
    c.header('Cache-Control', 'no-store');
  };
}
