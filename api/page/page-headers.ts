import type { Context } from 'hono';

/**
 * Scripts and styles only from this origin, no inline script, no frame: crawled text that slipped
 * through as markup still could not run, and the page cannot be framed (clickjacking).
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every HTML page of the search page's family. */
export function pageHeaders(c: Context): void {
  c.header('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
}
