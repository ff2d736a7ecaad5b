import type { CrawlReport } from './crawl-report.ts';
import { errorCount } from './crawl-report.ts';

/** One line per source while crawling: what was fetched, what is left, errors, and the current rate. */
export function createProgressPrinter(write: (text: string) => void, now: () => number = Date.now) {
  const previous = new Map<string, { fetched: number; at: number }>();
  return (reports: readonly CrawlReport[], queuedBySource: ReadonlyMap<string, number>) => {
    const at = now();
    const lines = reports.map((report) => {
      const last = previous.get(report.sourceId) ?? { fetched: 0, at: Date.parse(report.startedAt) };
      const rate = (report.fetched - last.fetched) / Math.max(0.001, (at - last.at) / 1000);
      previous.set(report.sourceId, { fetched: report.fetched, at });
      return (
        `[crawl] ${report.sourceId}: ${report.fetched} fetched, ${queuedBySource.get(report.sourceId) ?? 0} queued, ` +
        `${errorCount(report)} errors, ${rate.toFixed(1)} req/s`
      );
    });
    write(`${lines.join('\n')}\n`);
  };
}
