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
  /** A dataset file: its rows are the documents (each a URL of its own, `<file>#ligne-…`). */
  'dataset',
] as const;
export type PageOutcome = (typeof PAGE_OUTCOMES)[number];

/** What makes a request conditional: the validators of the copy we hold, and the URL they belong to. */
export interface Validators {
  /** The URL that answered them (the last hop when the page redirected). */
  url: string;
  etag: string | null;
  lastModified: string | null;
}

export interface PreviousVisit {
  etag: string | null;
  lastModified: string | null;
  /** The URL the validators belong to; null when we hold none. */
  validatorsUrl: string | null;
  /** The sitemap lastmod current when the page was last requested. */
  checkedLastmod: string | null;
  contentHash: string | null;
  outcome: PageOutcome | null;
  indexedUrl: string | null;
  /** When the page was last requested (a page settled from the sitemap keeps its old date). */
  fetchedAt: string | null;
  /** The links the page had when last fetched (absolute URLs); null if recorded before links were. */
  links: string[] | null;
  /** What went wrong, or for a duplicate what it duplicates ("same as <url>"). */
  error: string | null;
}

export interface Visit {
  outcome: PageOutcome;
  httpStatus?: number | null;
  /** Absent: the validators held are kept; null: forgotten (nothing left to revalidate). */
  validators?: Validators | null;
  /** The sitemap lastmod current at this request; absent: kept. */
  checkedLastmod?: string | null;
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
