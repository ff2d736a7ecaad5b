import { readFileSync } from 'node:fs';
import type { AppEnv } from '../../app-env.ts';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';

const ASSETS = path.join(import.meta.dirname, '..', 'assets');

/**
 * Only this page's own files, no inline code and no other origin: a page that holds an admin token
 * must not run anyone else's script (an injected one, a compromised CDN's), nor be framed.
 */
export const ADMIN_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILES = {
  '/admin': { file: 'admin.html', type: 'text/html; charset=utf-8' },
  '/admin/admin.js': { file: 'admin.js', type: 'text/javascript; charset=utf-8' },
  '/admin/admin.css': { file: 'admin.css', type: 'text/css; charset=utf-8' },
} as const;

/**
 * The admin page at /admin: static files, public (they hold nothing); everything it shows comes
 * from /v1/admin with the token the admin types in, which stays in the tab's sessionStorage.
 */
export function registerAdminPageRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(path.join(ASSETS, file), 'utf8');
    app.get(route, (c) => {
      c.header('Content-Security-Policy', ADMIN_PAGE_CSP);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'no-referrer');
      c.header('Cache-Control', 'no-cache');
      c.header('Content-Type', type);
      return c.body(body, 200);
    });
  }
}
