/** What the crawl store knows of a URL: what became of its visits, and what is queued. */

/** What became of a visited URL in a run. The first three keep (or put) a document in the index. */
export const PAGE_OUTCOMES = [
  'new',
  'changed',
  'unchanged',
  'gone',
  'noindex',
  'duplicate',
  'skipped-type',
  'out-of-scope',
  'robots',
  'redirect-loop',
  'error',
] as const;
export type PageOutcome = (typeof PAGE_OUTCOMES)[number];

export interface PreviousVisit {
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  outcome: PageOutcome | null;
  indexedUrl: string | null;
  fetchedAt: string | null;
  /** The links the page had when last fetched (absolute URLs); null if recorded before links were. */
  links: string[] | null;
}

export interface Visit {
  outcome: PageOutcome;
  httpStatus?: number | null;
  etag?: string | null;
  lastModified?: string | null;
  contentHash?: string | null;
  /** The URL of the document this visit keeps in the index (canonical), when it keeps one. */
  indexedUrl?: string | null;
  /** The page's links to follow, remembered for a next visit that gets a 304; kept when absent. */
  links?: readonly string[] | null;
  error?: string | null;
  fetchedAt: string;
}

export interface QueuedUrl {
  url: string;
  sourceId: string;
  depth: number;
  sitemapLastmod: string | null;
}
