/** What a dataset source's files held, beyond the documents counted as for pages. */
export interface DatasetStats {
  files: number;
  /** Rows read, each a document (new, changed or unchanged). */
  rows: number;
  /** Rows without a title: nothing to show or search, not indexed. */
  invalid: number;
  /** Rows whose natural key another row of the same file has: kept apart by their order. */
  duplicateKeys: number;
  /** Rows whose commune or EPCI the official list does not know (merged since): kept with their département or région. */
  widerTerritoryOnly: number;
  /** Rows with no known territory at all: kept as national. */
  unknownTerritory: number;
}

/** What one crawl did for one source: printed at the end of `npm run crawl` and saved as JSON. */
export interface CrawlReport {
  sourceId: string;
  /** Documents added, replaced, kept as they were, or removed from the index. */
  new: number;
  changed: number;
  unchanged: number;
  deleted: number;
  /**
   * How the pages known from earlier runs were settled, what a recrawl's cost follows: from the
   * sitemap without a request, revalidated by a 304, or fetched again in full (a 200 with its body,
   * changed or not: a host that sends no validators costs this for every page).
   */
  settledBySitemap: number;
  notModified: number;
  refetched: number;
  /** Pages that answered 404 or 410 (known, or linked for the first time): none of them is indexed. */
  gone: number;
  /**
   * Deletions not applied because the run lost too much of the source at once (a site broken, a
   * CMS migration): the source is flagged and an admin confirms with `npm run crawl -- --confirm-deletions ID`.
   */
  heldDeletions: number;
  /** Requests made to the source's host, robots.txt and sitemaps included. */
  fetched: number;
  skipped: {
    /** A link or a redirect hop outside every source: never requested. */
    outOfScope: number;
    robots: number;
    noindex: number;
    /** Binary files, images, archives: not indexable. */
    type: number;
    /** Same content as a page already indexed, or a page whose canonical is another URL. */
    duplicate: number;
    /** Links past the source's maxPages. */
    maxPages: number;
  };
  errors: Record<string, number>;
  /** Documents of this source Meilisearch refused this run: quarantined until they change. */
  quarantined: { url: string; error: string }[];
  /** A few failing URLs with their error, to start an investigation from. */
  errorSamples: { url: string; error: string }[];
  /** Why the source was not (fully) crawled, e.g. robots.txt unreachable; deletions are then held. */
  incomplete: string | null;
  /** A dataset source: what its files held. */
  dataset: DatasetStats | null;
  /** robots.txt Crawl-delay, in seconds: what the site asked, what was honoured (capped). */
  crawlDelay: { asked: number; honoured: number } | null;
  /** The run continued an earlier one: a crawl killed, or stopped at its time budget. */
  resumed: boolean;
  startedAt: string;
  durationMs: number;
}

export function emptyReport(sourceId: string, startedAt: Date): CrawlReport {
  return {
    sourceId,
    new: 0,
    changed: 0,
    unchanged: 0,
    deleted: 0,
    settledBySitemap: 0,
    notModified: 0,
    refetched: 0,
    gone: 0,
    heldDeletions: 0,
    fetched: 0,
    skipped: { outOfScope: 0, robots: 0, noindex: 0, type: 0, duplicate: 0, maxPages: 0 },
    errors: {},
    quarantined: [],
    errorSamples: [],
    incomplete: null,
    dataset: null,
    crawlDelay: null,
    resumed: false,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
  };
}

export function countError(report: CrawlReport, kind: string, url: string, message: string): void {
  report.errors[kind] = (report.errors[kind] ?? 0) + 1;
  if (report.errorSamples.length < 20)
    report.errorSamples.push({ url, error: `${kind}: ${message}`.slice(0, 300) });
}

export function errorCount(report: CrawlReport): number {
  return Object.values(report.errors).reduce((sum, count) => sum + count, 0);
}

export function formatReport(report: CrawlReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const skipped = Object.entries(report.skipped)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const errors = Object.entries(report.errors)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return (
    `${report.sourceId}: ${report.new} new, ${report.changed} changed, ${report.unchanged} unchanged, ` +
    `${report.deleted} deleted; pages: ${report.settledBySitemap} settled by sitemap, ` +
    `${report.notModified} not modified (304), ${report.refetched} refetched, ${report.gone} gone (404/410); ` +
    `${report.fetched} fetched in ${seconds}s` +
    (skipped ? `; skipped: ${skipped}` : '') +
    `; errors: ${errors || 'none'}` +
    (report.heldDeletions > 0
      ? `; HELD ${report.heldDeletions} deletions (confirm with --confirm-deletions)`
      : '') +
    (report.dataset
      ? `; dataset: ${report.dataset.files} files, ${report.dataset.rows} rows` +
        (report.dataset.widerTerritoryOnly > 0
          ? `, ${report.dataset.widerTerritoryOnly} with a wider territory only`
          : '') +
        (report.dataset.unknownTerritory > 0
          ? `, ${report.dataset.unknownTerritory} without a known territory`
          : '') +
        (report.dataset.invalid > 0 ? `, ${report.dataset.invalid} without a title (skipped)` : '') +
        (report.dataset.duplicateKeys > 0 ? `, ${report.dataset.duplicateKeys} with a repeated key` : '')
      : '') +
    (report.quarantined.length > 0 ? `; ${report.quarantined.length} documents QUARANTINED` : '') +
    (report.crawlDelay && report.crawlDelay.honoured < report.crawlDelay.asked
      ? `; Crawl-delay ${report.crawlDelay.asked} s asked, ${report.crawlDelay.honoured} s honoured`
      : '') +
    (report.incomplete ? `; INCOMPLETE: ${report.incomplete}` : '')
  );
}

/** A source an operator must look at: not fully crawled, deletions held, documents refused. */
export function needsAttention(report: CrawlReport): boolean {
  return report.incomplete !== null || report.heldDeletions > 0 || report.quarantined.length > 0;
}

/** The one line that ends `npm run crawl`: what a scheduler's log or an operator reads first. */
export function formatTotals(reports: readonly CrawlReport[]): string {
  const sum = (count: (report: CrawlReport) => number) =>
    reports.reduce((total, report) => total + count(report), 0);
  const attention = reports.filter(needsAttention).map((report) => report.sourceId);
  return (
    `Total: ${reports.length} sources, ${sum((r) => r.new)} new, ${sum((r) => r.changed)} changed, ` +
    `${sum((r) => r.unchanged)} unchanged, ${sum((r) => r.deleted)} deleted, ${sum(errorCount)} errors, ` +
    `${sum((r) => r.fetched)} requests; ` +
    (attention.length > 0
      ? `${attention.length} need attention (${attention.join(', ')}): ` +
        `${reports.filter((r) => r.incomplete).length} incomplete, ${sum((r) => r.heldDeletions)} deletions held, ` +
        `${sum((r) => r.quarantined.length)} documents quarantined`
      : 'all complete')
  );
}
