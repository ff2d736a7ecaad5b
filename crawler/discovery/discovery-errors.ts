import { AppError } from '../../core/errors.ts';

/**
 * A sitemap that yields nothing usable. Discovery logs it and carries on with the other sitemaps and
 * with link following: one broken sitemap must not stop a source's crawl.
 */
export class SitemapParseError extends AppError {
  readonly code = 'sitemap_parse';
  constructor(
    readonly sitemapUrl: string,
    readonly reason: 'invalid-xml' | 'not-a-sitemap' | 'corrupt-gzip' | 'too-large',
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Sitemap ${sitemapUrl}: ${reason}: ${detail}`, options);
  }
}

/**
 * A robots.txt only speaks for its own origin (RFC 9309 §2.3): asking it about another origin is a
 * bug in the caller, which would otherwise silently apply one site's rules to another.
 */
export class RobotsOriginMismatchError extends AppError {
  readonly code = 'robots_origin_mismatch';
  constructor(
    readonly robotsUrl: string,
    readonly url: string,
  ) {
    super(`robots.txt ${robotsUrl} does not govern ${url}`);
  }
}
