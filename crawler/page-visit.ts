import type { RawPage } from '../core/raw-page.ts';
import type { Source } from '../core/source.ts';
import { cleanUrl } from './clean-url.ts';
import { countError, type CrawlReport } from './crawl-report.ts';
import { type FetchOutcome, requestsSent } from './fetch/fetch-outcome.ts';
import { type FetchPageOptions, fetchPage } from './fetch/fetch-page.ts';
import type { PageContent } from './page-content.ts';
import { type PageReader, PageReadError } from './page-reader.ts';
import { findSourceForUrl } from './scope.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { PreviousVisit, QueuedUrl, Visit } from '../store/page-state.ts';

export interface VisitContext {
  runId: number;
  sources: readonly Source[];
  store: CrawlStore;
  fetchOptions: Omit<FetchPageOptions, 'etag' | 'lastModified'>;
  pageReader: PageReader;
  report: (sourceId: string) => CrawlReport;
  now: () => Date;
}

/** A failure worth another try (network, 5xx, 429): the host crawl retries it, after `retryAfterMs`. */
export class RetryableFetchError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
  }
}

/**
 * Visits one queued URL: fetches it (conditionally when we have a copy), decides what it means for
 * the index, and records both in the store in one transaction. Returns the links to offer to the
 * frontier (cleaned, as strings: most were seen before, and need not be parsed again).
 */
export async function visitPage(queued: QueuedUrl, context: VisitContext): Promise<string[]> {
  const { store, now } = context;
  const report = context.report(queued.sourceId);
  const previous = store.previousVisit(queued.url);
  const fetchedAt = now().toISOString();
  // A copy we may keep without fetching it again: indexed, and with its links remembered, since an
  // unchanged page's links must still be followed (a page recorded by an older version is refetched).
  const copy = isKept(previous) && previous.links !== null ? previous : undefined;
  // The sitemap says the page has not changed since we last fetched it: trust it, skip the request.
  if (queued.sitemapLastmod && copy?.fetchedAt && copy.fetchedAt >= queued.sitemapLastmod) {
    report.unchanged++;
    store.recordVisit(queued.url, { ...keep(copy), outcome: 'unchanged', fetchedAt: copy.fetchedAt });
    return rememberedLinks(copy);
  }
  const outcome = await fetchPage(new URL(queued.url), {
    ...context.fetchOptions,
    etag: copy?.etag ?? null,
    lastModified: copy?.lastModified ?? null,
  });
  report.fetched += requestsSent(outcome);
  // A document this visit no longer keeps is not deleted here but by the end of the run, if no other
  // visit kept it meanwhile (a moved page's new URL, a twin): see purgeWhatWasNotKept.
  const record = (visit: Omit<Visit, 'fetchedAt'>, change?: Parameters<CrawlStore['recordVisit']>[2]) =>
    store.recordVisit(queued.url, { ...visit, fetchedAt }, change);

  switch (outcome.kind) {
    case 'not-modified':
      report.unchanged++;
      record({ ...keep(previous), outcome: 'unchanged', httpStatus: 304 });
      return previous ? rememberedLinks(previous) : [];
    case 'refused':
      if (outcome.reason === 'other-origin' && outcome.target) {
        // Another trusted host: its own crawl fetches it, after its own robots.txt.
        report.skipped.duplicate++;
        record({ outcome: 'duplicate', error: `moved to ${outcome.target.href}` });
        return [cleanUrl(outcome.target).href];
      }
      if (outcome.reason === 'out-of-scope' || outcome.reason === 'robots') {
        report.skipped[outcome.reason === 'robots' ? 'robots' : 'outOfScope']++;
        record({ outcome: outcome.reason });
      } else {
        countError(
          report,
          `redirect-${outcome.reason}`,
          queued.url,
          outcome.target?.href ?? 'no usable Location',
        );
        record({ ...keep(previous), outcome: 'redirect-loop', error: outcome.reason });
      }
      return [];
    case 'http-error':
      return handleHttpError(outcome, queued, previous, report, record);
    case 'network-error':
      throw new RetryableFetchError(
        outcome.code === 'TIMEOUT' ? 'timeout' : 'network',
        outcome.message,
        null,
      );
    case 'too-large':
      countError(report, 'too-large', queued.url, outcome.message);
      record({ ...keep(previous), outcome: 'error', error: outcome.message });
      return [];
    case 'fetched':
      return handleFetched(outcome, queued, previous, context, record);
  }
}

function handleHttpError(
  outcome: Extract<FetchOutcome, { kind: 'http-error' }>,
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  report: CrawlReport,
  record: (visit: Omit<Visit, 'fetchedAt'>) => void,
): string[] {
  const { status } = outcome;
  if (status === 404 || status === 410) {
    // Gone: counted as a deletion when the index had it (report.deleted is tallied at the end).
    record({ outcome: 'gone', httpStatus: status });
    return [];
  }
  if (status === 429 || status >= 500) {
    throw new RetryableFetchError(`http-${status}`, `HTTP ${status}`, outcome.retryAfterMs);
  }
  countError(report, `http-${status}`, queued.url, `HTTP ${status}`);
  record({ ...keep(previous), outcome: 'error', httpStatus: status, error: `HTTP ${status}` });
  return [];
}

async function handleFetched(
  outcome: Extract<FetchOutcome, { kind: 'fetched' }>,
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  context: VisitContext,
  record: (visit: Omit<Visit, 'fetchedAt'>, change?: { upsert: RawPage }) => void,
): Promise<string[]> {
  const report = context.report(queued.sourceId);
  const finalUrl = cleanUrl(outcome.url);
  // The fetcher only followed in-scope hops, so the final URL has a source (maybe another one).
  const source = findSourceForUrl(finalUrl, context.sources)!;
  const validators = {
    httpStatus: outcome.status,
    etag: outcome.headers.etag,
    lastModified: outcome.headers['last-modified'],
  };
  let content: PageContent;
  try {
    content = await context.pageReader.read({
      sourceId: source.id,
      url: finalUrl.href,
      headers: outcome.headers,
      body: outcome.body,
    });
  } catch (error) {
    if (!(error instanceof PageReadError)) throw error;
    // The bytes are the problem (a damaged PDF...): fetching them again would not help.
    countError(report, error.kind, queued.url, error.message);
    record({
      ...keep(previous),
      httpStatus: outcome.status,
      outcome: 'error',
      error: `${error.kind}: ${error.message}`,
    });
    return [];
  }
  if (content.kind === 'binary') {
    report.skipped.type++;
    record({ ...validators, outcome: 'skipped-type' });
    return [];
  }
  const { links } = content;
  const followed = { ...validators, links };
  if (content.noindex) {
    report.skipped.noindex++;
    record({ ...followed, outcome: 'noindex' });
    return links;
  }
  const canonical = content.canonical;
  if (canonical && canonical !== finalUrl.href && findSourceForUrl(new URL(canonical), context.sources)) {
    // Indexed once, under the URL the site declares: queue that one, index it when it is visited.
    report.skipped.duplicate++;
    record({ ...followed, outcome: 'duplicate', contentHash: content.contentHash });
    return [...links, canonical];
  }
  const twin = context.store.sameContentIn(context.runId, source.id, content.contentHash, queued.url);
  if (twin) {
    report.skipped.duplicate++;
    record({ ...followed, outcome: 'duplicate', contentHash: content.contentHash, error: `same as ${twin}` });
    return links;
  }
  const visit = { ...followed, contentHash: content.contentHash, indexedUrl: finalUrl.href };
  if (
    isKept(previous) &&
    previous.contentHash === content.contentHash &&
    previous.indexedUrl === finalUrl.href
  ) {
    report.unchanged++;
    record({ ...visit, outcome: 'unchanged' });
    return links;
  }
  const { kind: _kind, noindex: _noindex, links: _links, canonical: _canonical, ...document } = content;
  const page: RawPage = {
    ...document,
    url: finalUrl.href,
    sourceId: source.id,
    status: outcome.status,
    fetchedAt: context.now().toISOString(),
  };
  const isNew = !isKept(previous);
  report[isNew ? 'new' : 'changed']++;
  record({ ...visit, outcome: isNew ? 'new' : 'changed' }, { upsert: page });
  return links;
}

/** A previous visit that left a document in the index. */
function isKept(previous: PreviousVisit | undefined): previous is PreviousVisit {
  return (
    previous?.indexedUrl != null &&
    ['new', 'changed', 'unchanged', 'error', 'redirect-loop'].includes(previous.outcome ?? '')
  );
}

/** The links of a page that did not change, to follow them as if it had been fetched. */
function rememberedLinks(previous: PreviousVisit): string[] {
  return previous.links ?? [];
}

/** Carries the previous document over: a transient failure must not drop a page from the index. */
function keep(
  previous: PreviousVisit | undefined,
): Pick<Visit, 'indexedUrl' | 'contentHash' | 'etag' | 'lastModified'> {
  return isKept(previous)
    ? {
        indexedUrl: previous.indexedUrl,
        contentHash: previous.contentHash,
        etag: previous.etag,
        lastModified: previous.lastModified,
      }
    : {};
}
