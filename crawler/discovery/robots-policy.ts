import robotsParserModule from 'robots-parser';
import { normalizedHost } from '../scope.ts';
import { RobotsOriginMismatchError } from './discovery-errors.ts';

// The package's types declare an ES default export, but it is `module.exports = function`: under Node
// ESM (tsx included) the default import is the function itself.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** What a site's robots.txt lets our crawler do on its origin. */
export interface RobotsPolicy {
  /** Whether we may fetch the URL; it must be on the robots.txt's origin (else it throws). */
  isAllowed(url: URL): boolean;
  /** The line that decides for the URL, e.g. `line 4: Disallow: /prive/`; null when none does. */
  decidingLine(url: URL): string | null;
  /** The Crawl-delay of the group that applies to us, in seconds, or null when none is set. */
  crawlDelaySeconds: number | null;
  /** Absolute http(s) URLs from the Sitemap lines, deduplicated, in file order. */
  sitemaps: URL[];
}

/**
 * What to do after fetching robots.txt, per RFC 9309 §2.3.1:
 * - 2xx: parse it;
 * - 4xx: "unavailable", so no restrictions (`allow-all`); 3xx too, as it means the fetcher gave up
 *   following redirects, which the RFC also treats as unavailable;
 * - 5xx, 429 and no response at all (`null`: DNS, TLS, timeout, reset): "unreachable", so crawl
 *   nothing and ask again later. 429 is a 4xx but a request to slow down, so it is treated like 5xx,
 *   as Google does.
 */
export type RobotsOutcome = 'parse' | 'allow-all' | 'retry-later';

export function robotsOutcome(status: number | null): RobotsOutcome {
  if (status === null) return 'retry-later';
  if (status >= 200 && status < 300) return 'parse';
  if (status === 429) return 'retry-later';
  if (status >= 300 && status < 500) return 'allow-all';
  return 'retry-later';
}

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; past it, rules may be ignored. */
const MAX_ROBOTS_CHARS = 500 * 1024;

/**
 * Pure: the policy of a robots.txt for our user agent.
 *
 * Matching, as robots-parser does it (Google's algorithm, RFC 9309): our product token is compared
 * case-insensitively and exactly with each group's `User-agent` token, versions stripped on both sides
 * (`Public-Action-Search/2.0` applies to us; `public-action` or `search` do not). Several groups for
 * our token merge. Only when no group names us does the `*` group apply, and then entirely: rules of
 * `*` are not added to ours. Within the group, the longest matching pattern wins, Allow winning ties;
 * `*` matches any run of characters and a final `$` anchors the end; patterns and paths are compared
 * percent-encoded, query string included. `/robots.txt` itself is always allowed.
 */
export function parseRobotsTxt(robotsUrl: URL, text: string, userAgent: string): RobotsPolicy {
  const content = text.replace(/^\uFEFF/, '').slice(0, MAX_ROBOTS_CHARS);
  const robots = robotsParser(robotsUrl.href, content);
  const token = robotsProductToken(userAgent);
  const delay = robots.getCrawlDelay(token);
  return {
    isAllowed(url: URL): boolean {
      if (!sameOrigin(url, robotsUrl)) throw new RobotsOriginMismatchError(robotsUrl.href, url.href);
      if (url.pathname === '/robots.txt') return true;
      // Re-rooted on the robots.txt URL so that host spellings equal for us (trailing dot) are for it too.
      return robots.isAllowed(new URL(url.pathname + url.search, robotsUrl).href, token) ?? false;
    },
    decidingLine(url: URL): string | null {
      if (!sameOrigin(url, robotsUrl) || url.pathname === '/robots.txt') return null;
      const line = robots.getMatchingLineNumber(new URL(url.pathname + url.search, robotsUrl).href, token);
      const text = line > 0 ? content.split(/\r\n|\r|\n/)[line - 1]?.trim() : undefined;
      return text ? `line ${line}: ${text}` : null;
    },
    crawlDelaySeconds: delay !== undefined && Number.isFinite(delay) && delay >= 0 ? delay : null,
    sitemaps: sitemapUrls(robots.getSitemaps(), robotsUrl),
  };
}

/**
 * The product token robots.txt groups are matched against: the first word of our User-Agent, without
 * version or comment, lower-cased (`public-action-search/0.1 (+https://…)` → `public-action-search`).
 */
export function robotsProductToken(userAgent: string): string {
  return (userAgent.trim().split(/[/\s]/)[0] ?? '').toLowerCase();
}

function sameOrigin(url: URL, robotsUrl: URL): boolean {
  return (
    url.protocol === robotsUrl.protocol &&
    url.port === robotsUrl.port &&
    normalizedHost(url) === normalizedHost(robotsUrl)
  );
}

function sitemapUrls(lines: string[], robotsUrl: URL): URL[] {
  const seen = new Set<string>();
  const urls: URL[] = [];
  for (const line of lines) {
    // The RFC wants absolute URLs; a relative one is still unambiguous, so resolve it.
    if (!URL.canParse(line, robotsUrl)) continue;
    const url = new URL(line, robotsUrl);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || seen.has(url.href)) continue;
    seen.add(url.href);
    urls.push(url);
  }
  return urls;
}
