import { type Meilisearch, MeilisearchApiError } from 'meilisearch';
import { documentIdForUrl } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { UrlInspection } from '../core/url-inspection.ts';
import type { CrawlSettings } from '../crawler/crawl-settings.ts';
import { createSiteReader } from '../crawler/site-reader.ts';
import { type CrawlInspection, inspectUrlForCrawl } from '../crawler/url-inspection.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { DocumentState } from '../store/document-store.ts';

export interface UrlInspectorOptions {
  /** The whitelist as it is now (it may have been edited since the process started). */
  sources: () => Promise<readonly Source[]>;
  store: CrawlStore;
  /** A client that may read the index's documents. */
  client: Meilisearch;
  indexUid: string;
  settings: Pick<
    CrawlSettings,
    'userAgent' | 'fetchLimits' | 'connectTimeoutMs' | 'allowPrivateNetworks' | 'lookupHost'
  >;
}

/**
 * "Why is this URL missing?", for `GET /v1/admin/urls` and `npm run url:check`: the crawl's side
 * (scope, robots.txt, last visit: crawler/url-inspection.ts), then the index's: whether Meilisearch
 * has the document, under which URL, and if not, the first thing that kept it out.
 */
export function createUrlInspector(options: UrlInspectorOptions): (url: URL) => Promise<UrlInspection> {
  return async (url) => {
    const reader = createSiteReader(options.settings, { requestsPerSecond: 1 });
    try {
      const crawl = await inspectUrlForCrawl(url, {
        sources: await options.sources(),
        store: options.store,
        readRobots: (origin) => reader.robots(origin),
      });
      const indexedUrl = crawl.page?.indexedUrl ?? crawl.canonical ?? crawl.checkedUrl;
      const inIndex = await hasDocument(options.client, options.indexUid, indexedUrl);
      const document = options.store.documents.documentState(indexedUrl);
      const { page: _page, ...shown } = crawl;
      return {
        ...shown,
        index: {
          indexed: inIndex,
          indexedUrl: inIndex ? indexedUrl : null,
          reason: inIndex ? indexedReason(crawl, indexedUrl, document) : missingReason(crawl, document),
        },
      };
    } finally {
      await reader.close();
    }
  };
}

async function hasDocument(client: Meilisearch, indexUid: string, url: string): Promise<boolean> {
  try {
    await client.index(indexUid).getDocument(documentIdForUrl(url), { fields: ['id'] });
    return true;
  } catch (error) {
    const code = error instanceof MeilisearchApiError ? error.cause?.code : undefined;
    if (code === 'document_not_found' || code === 'index_not_found') return false;
    throw error;
  }
}

function indexedReason(crawl: CrawlInspection, indexedUrl: string, document?: DocumentState): string {
  const under = indexedUrl === crawl.checkedUrl ? 'in the index' : `in the index under ${indexedUrl}`;
  if (document?.deleted) return `${under}, leaving it: the store deleted it, the indexer has not yet`;
  if (crawl.canonical) return `${under}, the canonical URL the page names`;
  return under;
}

/** The first thing, in the order the crawl meets them, that keeps the URL out of the index. */
function missingReason(crawl: CrawlInspection, document?: DocumentState): string {
  const { page } = crawl;
  if (!crawl.scope.inScope) return `out of scope: ${crawl.scope.rule}`;
  if (crawl.robots.verdict === 'disallowed') {
    return `robots.txt disallows it (${crawl.robots.rule ?? 'no line'}): the crawl never requests it`;
  }
  if (document?.quarantineError) return `Meilisearch refused it: ${document.quarantineError}`;
  if (document && !document.deleted && document.pending) return 'crawled, waiting for the indexer';
  if (!page) {
    return 'never reached: no crawled page or sitemap links to it (or it was past maxPages, or its source was not crawled since it was added)';
  }
  if (page.state === 'queued') return 'queued: the crawl that found it has not visited it yet';
  switch (page.outcome) {
    case 'noindex':
      return 'the page asks not to be indexed (noindex in a meta tag or an X-Robots-Tag header)';
    case 'duplicate':
      if (crawl.canonical)
        return `it names ${crawl.canonical} as its canonical URL, which is not in the index yet`;
      return `a duplicate: ${page.error ?? 'same content as a page already indexed'}`;
    case 'gone':
      return `the site answered ${page.httpStatus ?? 'gone'} at the last crawl (${page.fetchedAt ?? '?'})`;
    case 'robots':
      return 'robots.txt disallowed it at the last crawl';
    case 'out-of-scope':
      return 'out of scope at the last crawl (a redirect out of the sources)';
    case 'skipped-type':
      return 'not a page: a file the crawl does not index (image, archive…)';
    case 'error':
    case 'redirect-loop':
      return `the last fetch failed: ${page.error ?? page.outcome}`;
    default:
      return 'crawled, but not in the index: the next npm run crawl (or npm run reindex) sends it';
  }
}
