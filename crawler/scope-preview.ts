import type { ScopePreview } from '../core/scope-preview.ts';
import type { Source } from '../core/source.ts';
import { cleanUrl } from './clean-url.ts';
import type { CrawlSettings } from './crawl-settings.ts';
import { mayFetchForDiscovery } from './discovery-scope.ts';
import { createInProcessPageReader, PageReadError } from './page-reader.ts';
import { explainScope } from './scope-explanation.ts';
import { createSiteReader } from './site-reader.ts';
import { discoverSitemapPages } from './sitemap-discovery.ts';

export interface ScopePreviewOptions {
  /** The whitelist: a link to another source's pages is that source's, not this one's. */
  sources: readonly Source[];
  settings: Pick<
    CrawlSettings,
    'userAgent' | 'fetchLimits' | 'connectTimeoutMs' | 'allowPrivateNetworks' | 'lookupHost'
  >;
  /** URLs to list as taken (and, at most, as refused). */
  limit: number;
  /** Pages fetched to find links, beyond robots.txt and sitemaps. */
  maxPageFetches?: number;
}

/**
 * A dry run of a source's crawl, for an admin deciding on its globs: robots.txt, its sitemaps, then
 * the source's URL and the pages it links to, breadth first, until `limit` URLs are taken or the
 * request budget is spent. Every URL found is judged as the crawl judges it (scope.ts through
 * scope-explanation.ts, robots.txt, maxPages) and listed with why. At the source's own pace;
 * nothing is written anywhere.
 */
export async function previewScope(source: Source, options: ScopePreviewOptions): Promise<ScopePreview> {
  const origin = new URL(new URL(source.url).origin);
  // The source as given wins over the whitelist's entry of the same id (a change being previewed).
  const sources = [
    { ...source, enabled: true },
    ...options.sources.filter((other) => other.id !== source.id),
  ];
  const reader = createSiteReader(options.settings, source.crawl);
  const pages = createInProcessPageReader();
  const preview: ScopePreview = {
    sourceId: source.id,
    robots: '',
    taken: [],
    refused: [],
    moreRefused: 0,
    requests: 0,
    stoppedBecause: 'nothing more to follow',
  };
  try {
    const robots = await reader.robots(origin);
    if (robots.kind === 'unavailable') {
      preview.robots = `${robots.reason}: the crawl would skip this host`;
      preview.stoppedBecause = 'robots.txt unreachable';
      return preview;
    }
    const policy = robots.kind === 'policy' ? robots.policy : undefined;
    preview.robots = policy ? 'robots.txt read' : 'no robots.txt: everything allowed';
    const seen = new Set<string>();
    const toFetch: URL[] = [];
    const consider = (raw: URL, via: string): void => {
      const url = cleanUrl(raw);
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const refuse = (reason: string) => {
        if (preview.refused.length < options.limit) preview.refused.push({ url: url.href, reason });
        else preview.moreRefused++;
      };
      const scope = explainScope(url, sources);
      if (!scope.inScope) return refuse(`out of scope: ${scope.rule}`);
      if (scope.source?.id !== source.id) return refuse(`another source's: '${scope.source?.id}' crawls it`);
      if (policy && !policy.isAllowed(url)) {
        return refuse(`robots.txt disallows it (${policy.decidingLine(url) ?? 'no line'})`);
      }
      if (preview.taken.length >= Math.min(options.limit, source.crawl.maxPages)) {
        if (preview.taken.length >= source.crawl.maxPages) refuse(`over maxPages (${source.crawl.maxPages})`);
        return;
      }
      preview.taken.push({ url: url.href, via });
      toFetch.push(url);
    };

    consider(new URL(source.url), 'the source’s URL');
    const sitemap = await discoverSitemapPages(origin, policy?.sitemaps ?? [], {
      fetchOne: (url) => reader.fetch(url, (hop) => mayFetchForDiscovery(hop, origin, policy)),
      maxSitemaps: 5,
      maxPages: options.limit * 4,
      maxDecompressedBytes: options.settings.fetchLimits.maxDecompressedBytes,
    });
    for (const page of sitemap.pages) consider(page.url, 'listed in a sitemap');

    const maxPageFetches = options.maxPageFetches ?? 10;
    for (let fetched = 0; fetched < maxPageFetches && toFetch.length > 0; fetched++) {
      if (preview.taken.length >= options.limit) break;
      const url = toFetch.shift()!;
      const outcome = await reader.fetch(url, (hop) => {
        const scope = explainScope(hop, sources);
        if (!scope.inScope || scope.source?.id !== source.id) return 'out-of-scope';
        if (hop.origin !== origin.origin) return 'other-origin';
        return !policy || policy.isAllowed(hop) ? true : 'robots';
      });
      if (outcome.kind !== 'fetched') continue;
      try {
        const content = await pages.read({
          sourceId: source.id,
          url: outcome.url.href,
          headers: outcome.headers,
          body: outcome.body,
        });
        if (content.kind !== 'document') continue;
        for (const link of content.links) {
          if (URL.canParse(link)) consider(new URL(link), `linked from ${url.href}`);
        }
      } catch (error) {
        if (!(error instanceof PageReadError)) throw error;
      }
    }
    if (preview.taken.length >= options.limit) preview.stoppedBecause = `${options.limit} URLs taken`;
    else if (toFetch.length > 0)
      preview.stoppedBecause = `request budget spent (${maxPageFetches} pages read)`;
    return preview;
  } finally {
    preview.requests = reader.requests;
    await Promise.all([reader.close(), pages.close()]);
  }
}
