import type { Source } from '../core/source.ts';
import type { CrawlReport } from './crawl-report.ts';
import { findSourceForUrl } from './scope.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { QueuedUrl } from '../store/page-state.ts';

/** Skipped URLs remembered to count each once, up to this many per reason. */
const MAX_REMEMBERED_SKIPS = 100_000;

/**
 * Decides which discovered URLs get crawled, once each per run: only in-scope ones, under the source
 * whose scope holds them (not the page's that linked them), within each source's maxPages. Queued
 * URLs are written to the store first, so a killed crawl resumes with them.
 */
export class Frontier {
  private readonly seen: Set<string>;
  private readonly queuedPerSource = new Map<string, number>();
  private readonly skippedOutOfScope = new Set<string>();
  private readonly skippedOverCap = new Set<string>();

  constructor(
    private readonly runId: number,
    private readonly sources: readonly Source[],
    private readonly store: CrawlStore,
    private readonly report: (sourceId: string) => CrawlReport,
  ) {
    // On resume, what the run already queued or visited is known and counts against maxPages.
    this.seen = new Set(store.urlsOfRun(runId));
    for (const [sourceId, count] of store.countsOfRun(runId)) this.queuedPerSource.set(sourceId, count);
  }

  /** Offers a discovered URL; returns it as queued, or null when it is not to be crawled (again). */
  offer(url: URL, depth: number, foundBy: string, sitemapLastmod: string | null = null): QueuedUrl | null {
    if (this.seen.has(url.href)) {
      // Queued already (the source's own URL, offered first), and listed in the sitemap too.
      if (sitemapLastmod) this.store.noteSitemapLastmod(this.runId, url.href, sitemapLastmod);
      return null;
    }
    const owner = findSourceForUrl(url, this.sources);
    if (!owner) {
      this.countOnce(this.skippedOutOfScope, url.href, () => this.report(foundBy).skipped.outOfScope++);
      return null;
    }
    if ((this.queuedPerSource.get(owner.id) ?? 0) >= owner.crawl.maxPages) {
      this.countOnce(this.skippedOverCap, url.href, () => this.report(owner.id).skipped.maxPages++);
      return null;
    }
    this.seen.add(url.href);
    const queued: QueuedUrl = { url: url.href, sourceId: owner.id, depth, sitemapLastmod };
    if (!this.store.enqueue(this.runId, queued)) return null;
    this.bump(owner.id);
    return queued;
  }

  /** `offer` for a link as a string: one seen before is turned away without being parsed again. */
  offerHref(href: string, depth: number, foundBy: string): QueuedUrl | null {
    if (this.seen.has(href) || !URL.canParse(href)) return null;
    return this.offer(new URL(href), depth, foundBy);
  }

  private bump(sourceId: string): void {
    this.queuedPerSource.set(sourceId, (this.queuedPerSource.get(sourceId) ?? 0) + 1);
  }

  private countOnce(remembered: Set<string>, url: string, count: () => void): void {
    if (remembered.has(url)) return;
    if (remembered.size < MAX_REMEMBERED_SKIPS) remembered.add(url);
    count();
  }
}
