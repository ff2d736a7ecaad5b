import type { RobotsPolicy } from './discovery/robots-policy.ts';
import type { FetchPageOptions } from './fetch/fetch-page.ts';

type Verdict = ReturnType<FetchPageOptions['mayRequest']>;

/**
 * The check before each request of an origin's robots.txt and sitemap fetches (the first request
 * and each redirect hop), in place of the page scope: a source's include globs choose its pages,
 * they do not hide its rules. A source narrowed to `/actualites/**` must still read robots.txt,
 * or it would crawl its pages as if the site allowed everything; and its sitemaps list the pages
 * the globs want. The pages a sitemap lists are still scope-checked when offered to the frontier.
 *
 * - robots.txt of the origin, and of the same site with or without `www.` (same port, http to
 *   https allowed): RFC 9309 follows robots.txt redirects, and www ↔ apex is the common one.
 *   Any other redirect stays refused (and a refused robots.txt allows everything, robots-loader.ts).
 * - any other file on the origin itself, unless robots.txt disallows it: sitemaps.
 */
export function mayFetchForDiscovery(
  url: URL,
  origin: URL,
  robots: RobotsPolicy | 'allow-all' | undefined,
): Verdict {
  if (url.username || url.password) return 'out-of-scope';
  if (url.pathname === '/robots.txt' && !url.search && isSameSite(url, origin)) return true;
  if (url.origin !== origin.origin) return 'out-of-scope';
  return robots === undefined || robots === 'allow-all' || robots.isAllowed(url) ? true : 'robots';
}

function isSameSite(url: URL, origin: URL): boolean {
  const scheme =
    url.protocol === origin.protocol || (origin.protocol === 'http:' && url.protocol === 'https:');
  const host = bareHost(url);
  const originHost = bareHost(origin);
  return scheme && url.port === origin.port && (host === originHost || host === otherHostOfSite(originHost));
}

/** `www.example.fr` for `example.fr` and the reverse; never a top-level domain (`www.fr` has none). */
function otherHostOfSite(host: string): string | undefined {
  if (host.startsWith('www.')) {
    const apex = host.slice('www.'.length);
    return apex.includes('.') ? apex : undefined;
  }
  return host.includes('.') && !host.startsWith('[') && !/^[\d.]+$/.test(host) ? `www.${host}` : undefined;
}

function bareHost(url: URL): string {
  return url.hostname.replace(/\.$/, '');
}
