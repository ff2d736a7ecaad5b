import type { RawPage } from '../core/raw-page.ts';
import type { Source } from '../core/source.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { PreviousVisit, QueuedUrl, Validators, Visit } from '../store/page-state.ts';
import { cleanUrl } from './clean-url.ts';
import { countError, type CrawlReport } from './crawl-report.ts';
import { PRIVATE_ADDRESS_CODE } from './fetch/crawler-agent.ts';
import { type FetchOutcome, requestsSent } from './fetch/fetch-outcome.ts';
import type { FetchPageOptions } from './fetch/fetch-page.ts';
import type { PageContent } from './page-content.ts';
import { type PageReader, PageReadError } from './page-reader.ts';
import type { PoliteFetch } from './polite-fetch.ts';
import { findSourceForUrl } from './scope.ts';
import { isKept, keep } from './kept-document.ts';
import { settledBySitemap } from './sitemap-settle.ts';

export interface VisitContext {
  runId: number;
  sources: readonly Source[];
  store: CrawlStore;
  fetchOptions: Omit<FetchPageOptions, 'beforeRequest' | 'conditional'>;
  /** Every request goes through it: the host's turn, then the global limit. */
  politeFetch: PoliteFetch;
  pageReader: PageReader;
  report: (sourceId: string) => CrawlReport;
  now: () => Date;
  /** Every page is requested at least this often, whatever its sitemap says (CRAWL_REVALIDATE_DAYS). */
  revalidateAfterMs: number;
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

/** Page-reader failures that are not the page's fault (its worker was restarted): fetch it again. */
const RETRYABLE_READ_ERRORS = new Set(['worker', 'extraction-interrupted']);

/**
 * Visits one queued URL: settles it from the sitemap without a request when that is safe, else
 * fetches it (conditionally when we hold validators for it), decides what it means for the index,
 * and records both in the store in one transaction. Returns the links to offer to the frontier
 * (cleaned, as strings: most were seen before, and need not be parsed again).
 */
export async function visitPage(queued: QueuedUrl, context: VisitContext): Promise<string[]> {
  const previous = context.store.previousVisit(queued.url);
  const settled = settledBySitemap(queued, previous, context);
  if (settled) return settled;
  const conditional = validatorsToSend(previous);
  const answer = await fetchAndHandle(queued, previous, context, conditional);
  if (answer !== 'fetch-in-full') return answer;
  // A 304 told us nothing usable (a twin whose original is gone): the body is needed after all.
  return (await fetchAndHandle(queued, previous, context, null)) as string[];
}

function fetchAndHandle(
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  context: VisitContext,
  conditional: Validators | null,
): Promise<string[] | 'fetch-in-full'> {
  return context.politeFetch(new URL(queued.url), { ...context.fetchOptions, conditional }, (outcome) =>
    handleOutcome(outcome, queued, previous, context, conditional !== null),
  );
}

/**
 * The validators of the copy we hold, whatever the page's outcome was (a noindex page, a duplicate
 * or a binary file is revalidated too). None when the page's links were not remembered (recorded by
 * an older version): a 304 would leave the pages only it links to unreached.
 */
function validatorsToSend(previous: PreviousVisit | undefined): Validators | null {
  if (!previous?.validatorsUrl || previous.links === null) return null;
  if (!previous.etag && !previous.lastModified) return null;
  return { url: previous.validatorsUrl, etag: previous.etag, lastModified: previous.lastModified };
}

async function handleOutcome(
  outcome: FetchOutcome,
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  context: VisitContext,
  conditional: boolean,
): Promise<string[] | 'fetch-in-full'> {
  const { store } = context;
  const report = context.report(queued.sourceId);
  const fetchedAt = context.now().toISOString();
  report.fetched += requestsSent(outcome);
  // A document this visit no longer keeps is not deleted here but by the end of the run, if no other
  // visit kept it meanwhile (a moved page's new URL, a twin): see purgeWhatWasNotKept.
  const record = (visit: Omit<Visit, 'fetchedAt'>, change?: Parameters<CrawlStore['recordVisit']>[2]) =>
    store.recordVisit(queued.url, { checkedLastmod: queued.sitemapLastmod, ...visit, fetchedAt }, change);

  switch (outcome.kind) {
    case 'not-modified':
      return conditional ? handleNotModified(queued, previous, context, record) : [];
    case 'refused':
      if (outcome.reason === 'other-origin' && outcome.target) {
        // Another trusted host: its own crawl fetches it, after its own robots.txt.
        report.skipped.duplicate++;
        record({ outcome: 'duplicate', error: `moved to ${outcome.target.href}`, validators: null });
        return [cleanUrl(outcome.target).href];
      }
      if (outcome.reason === 'out-of-scope' || outcome.reason === 'robots') {
        report.skipped[outcome.reason === 'robots' ? 'robots' : 'outOfScope']++;
        record({ outcome: outcome.reason, validators: null });
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
      if (outcome.code === PRIVATE_ADDRESS_CODE) {
        // The host's name now points inside our network: asking again would not help, nor be wise.
        countError(report, 'private-address', queued.url, outcome.message);
        record({ ...keep(previous), outcome: 'error', error: `private-address: ${outcome.message}` });
        return [];
      }
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

/**
 * The host says the page is what it was: the decision taken then holds (indexed, noindex, duplicate,
 * binary), with the links remembered from then. A twin is the exception: it is a duplicate only if
 * the page it duplicates is still there, and indexing it needs its body.
 */
function handleNotModified(
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  context: VisitContext,
  record: (visit: Omit<Visit, 'fetchedAt'>) => void,
): string[] | 'fetch-in-full' {
  const report = context.report(queued.sourceId);
  const links = previous?.links ?? [];
  report.notModified++;
  if (isKept(previous)) {
    report.unchanged++;
    record({ ...keep(previous), outcome: 'unchanged', httpStatus: 304 });
    return links;
  }
  const outcome = previous?.outcome;
  if (outcome === 'noindex' || outcome === 'skipped-type') {
    report.skipped[outcome === 'noindex' ? 'noindex' : 'type']++;
    record({ outcome, httpStatus: 304 });
    return links;
  }
  if (outcome === 'duplicate' && previous?.contentHash) {
    const source = findSourceForUrl(new URL(queued.url), context.sources);
    const twin =
      source && context.store.sameContentIn(context.runId, source.id, previous.contentHash, queued.url);
    if (twin || !previous.error?.startsWith('same as')) {
      report.skipped.duplicate++;
      // A canonical named last time is still the page's: the 304 says the page is the same.
      record({ outcome: 'duplicate', httpStatus: 304, error: twin ? `same as ${twin}` : previous.error });
      return links;
    }
  }
  return 'fetch-in-full';
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
    report.gone++;
    // Gone: counted as a deletion when the index had it (report.deleted is tallied at the end).
    record({ outcome: 'gone', httpStatus: status, validators: null });
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
  // Requested before (by an earlier run): its full body came again, whether it changed or not.
  if (previous?.fetchedAt) report.refetched++;
  const finalUrl = cleanUrl(outcome.url);
  // The fetcher only followed in-scope hops, so the final URL has a source (maybe another one).
  const source = findSourceForUrl(finalUrl, context.sources)!;
  const { etag = null, 'last-modified': lastModified = null } = outcome.headers;
  const validators = {
    httpStatus: outcome.status,
    // Tied to the URL that answered: the next visit sends them to that hop.
    validators: etag || lastModified ? { url: outcome.url.href, etag, lastModified } : null,
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
    if (RETRYABLE_READ_ERRORS.has(error.kind)) throw new RetryableFetchError(error.kind, error.message, null);
    // The bytes are the problem (a damaged PDF, a page too slow to extract): fetching them again
    // would not help.
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
    record({ ...validators, outcome: 'skipped-type', links: [] });
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
    // The canonical is remembered with the links, for a visit that gets a 304.
    report.skipped.duplicate++;
    const withCanonical = [...links, canonical];
    // Named in the visit, for "why is this URL missing?" (the URL inspector).
    record({
      ...followed,
      links: withCanonical,
      outcome: 'duplicate',
      contentHash: content.contentHash,
      error: `canonical ${canonical}`,
    });
    return withCanonical;
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
