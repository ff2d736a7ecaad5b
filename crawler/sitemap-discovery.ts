import { SitemapParseError } from './discovery/discovery-errors.ts';
import { parseSitemap, type SitemapPage } from './discovery/sitemap.ts';
import { type FetchOutcome, requestsSent } from './fetch/fetch-outcome.ts';

export interface SitemapDiscoveryOptions {
  fetchOne: (url: URL) => Promise<FetchOutcome>;
  maxSitemaps: number;
  maxPages: number;
  maxDecompressedBytes: number;
}

export interface SitemapDiscovery {
  pages: SitemapPage[];
  fetched: number;
  problems: { url: string; problem: string }[];
}

/**
 * The pages an origin's sitemaps list: those named in robots.txt (on the same origin: a sitemap
 * elsewhere is never fetched), else /sitemap.xml; sitemap indexes are followed, gzip handled.
 */
export async function discoverSitemapPages(
  origin: URL,
  fromRobots: readonly URL[],
  options: SitemapDiscoveryOptions,
): Promise<SitemapDiscovery> {
  const sameOrigin = fromRobots.filter((url) => url.origin === origin.origin);
  const queue = sameOrigin.length > 0 ? [...sameOrigin] : [new URL('/sitemap.xml', origin)];
  const seen = new Set(queue.map((url) => url.href));
  const discovery: SitemapDiscovery = { pages: [], fetched: 0, problems: [] };
  for (let done = 0; queue.length > 0 && done < options.maxSitemaps; done++) {
    const url = queue.shift()!;
    const outcome = await options.fetchOne(url);
    discovery.fetched += requestsSent(outcome);
    if (outcome.kind !== 'fetched') {
      // No sitemap at the default place is normal; a listed one that fails is worth reporting.
      if (sameOrigin.length > 0 || outcome.kind !== 'http-error' || outcome.status !== 404) {
        discovery.problems.push({ url: url.href, problem: outcome.kind });
      }
      continue;
    }
    try {
      const entries = parseSitemap(outcome.body, url, { maxDecompressedBytes: options.maxDecompressedBytes });
      for (const child of entries.sitemaps) {
        if (child.origin === origin.origin && !seen.has(child.href)) {
          seen.add(child.href);
          queue.push(child);
        }
      }
      discovery.pages.push(...entries.pages.slice(0, options.maxPages - discovery.pages.length));
    } catch (error) {
      if (!(error instanceof SitemapParseError)) throw error;
      discovery.problems.push({ url: url.href, problem: error.message });
    }
    if (discovery.pages.length >= options.maxPages) break;
  }
  return discovery;
}
