import type { PreviousVisit, QueuedUrl } from '../store/page-state.ts';
import { isKept, keep } from './kept-document.ts';
import type { VisitContext } from './page-visit.ts';

/**
 * A date-only lastmod (2024-03-05) covers instants from 14 hours before that UTC day to 12 hours
 * after it, by time zone: only a request made after all of them saw that day's last version.
 */
const DATE_ONLY_SPAN_MS = 36 * 3_600_000;

/**
 * Settles a page without any request when its sitemap vouches for the copy we hold: the page's
 * lastmod is exactly the one it had when we last requested it (not merely older than our clock:
 * sites backdate lastmod, to a publication date, a date without time, another time zone), a
 * date-only lastmod could not hide a later change the same day, and the page was requested within
 * the revalidation period. Returns its remembered links, or null when it must be requested.
 */
export function settledBySitemap(
  queued: QueuedUrl,
  previous: PreviousVisit | undefined,
  context: Pick<VisitContext, 'store' | 'report' | 'now' | 'revalidateAfterMs'>,
): string[] | null {
  const lastmod = queued.sitemapLastmod;
  if (!lastmod || !isKept(previous) || previous.links === null || !previous.fetchedAt) return null;
  if (previous.checkedLastmod !== lastmod) return null;
  const requestedAt = Date.parse(previous.fetchedAt);
  if (/^\d{4}-\d{2}-\d{2}$/.test(lastmod) && requestedAt < Date.parse(lastmod) + DATE_ONLY_SPAN_MS) {
    return null;
  }
  if (context.now().getTime() - requestedAt >= context.revalidateAfterMs) return null;
  const report = context.report(queued.sourceId);
  report.unchanged++;
  report.settledBySitemap++;
  // The request date stays the old one: it is what the revalidation period counts from.
  context.store.recordVisit(queued.url, {
    ...keep(previous),
    outcome: 'unchanged',
    fetchedAt: previous.fetchedAt,
  });
  return previous.links;
}
