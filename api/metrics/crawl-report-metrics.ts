import { readdir } from 'node:fs/promises';
import { Gauge, type Registry } from 'prom-client';
import { type LastCrawl, readLastCrawlReports } from '../admin/crawl-history.ts';

/**
 * Each source's last crawl, from the reports `npm run crawl` writes under DATA_DIR/reports (read as
 * the admin's source status reads them, crawl-history.ts), at scrape time: the crawls run in other
 * processes, and the files are what they leave. Per source, so that one failing site shows; three
 * series a source, whatever its errors' kinds (errors by kind are in the report and the admin API).
 */
export function registerCrawlReportMetrics(registry: Registry, reportsDir: string): void {
  const reports = new LastReports(reportsDir);
  const registers = [registry];
  new Gauge({
    name: 'pas_crawl_last_fetched',
    help: "Requests made to a source's host in its last crawl (pages, robots.txt and sitemaps).",
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      for (const [source, report] of await reports.read()) this.set({ source }, report.fetched);
    },
  });
  new Gauge({
    name: 'pas_crawl_last_errors',
    help: 'Pages of a source that failed in its last crawl (every kind of error together).',
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      for (const [source, report] of await reports.read()) {
        this.set(
          { source },
          Object.values(report.errors).reduce((sum, count) => sum + count, 0),
        );
      }
    },
  });
  new Gauge({
    name: 'pas_crawl_last_started_timestamp_seconds',
    help: "When a source's last crawl started (Unix time): a source not crawled for too long shows.",
    labelNames: ['source'],
    registers,
    async collect() {
      this.reset();
      for (const [source, report] of await reports.read()) {
        const started = Date.parse(report.startedAt);
        if (Number.isFinite(started)) this.set({ source }, started / 1000);
      }
    },
  });
}

/**
 * The last reports, read again only when the directory has a new file: a report is written once,
 * atomically, under a name of its own (workflow/crawl-report-file.ts), so the same names mean the
 * same contents, and a scrape every few seconds does not parse up to 100 files each time.
 */
class LastReports {
  #names = '';
  #last: Promise<Map<string, LastCrawl>> | undefined;

  constructor(private readonly dir: string) {}

  async read(): Promise<Map<string, LastCrawl>> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).sort().join('\n');
    if (this.#last === undefined || names !== this.#names) {
      this.#names = names;
      this.#last = readLastCrawlReports(this.dir);
    }
    return this.#last;
  }
}
