/** What one crawl did for one source: printed at the end of `npm run crawl`. */
export interface CrawlReport {
  sourceId: string;
  /** Pages fetched, extracted and handed to the indexer. */
  pages: number;
  /** Requests that failed after retries (network errors, 5xx, unsupported content). */
  failed: number;
  /** Fetched URLs whose final location (after redirects) left the source's scope. */
  skippedOutOfScope: number;
  errors: { url: string; message: string }[];
  startedAt: string;
  durationMs: number;
}

export function emptyReport(sourceId: string, startedAt: Date): CrawlReport {
  return {
    sourceId,
    pages: 0,
    failed: 0,
    skippedOutOfScope: 0,
    errors: [],
    startedAt: startedAt.toISOString(),
    durationMs: 0,
  };
}

export function formatReport(report: CrawlReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  return (
    `${report.sourceId}: ${report.pages} pages, ${report.failed} failed, ` +
    `${report.skippedOutOfScope} out of scope, ${seconds}s`
  );
}
