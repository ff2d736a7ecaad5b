import { readLastCrawlReports } from './admin/crawl-history.ts';

/**
 * When each source was last crawled, from the JSON reports `npm run crawl` writes under
 * DATA_DIR/reports: the start of its last report, read as the admin status reads them (a report cut
 * short by a crawl killed while writing it, or by a full disk, is skipped: the older ones still tell).
 */
export async function readLastCrawls(reportsDir: string): Promise<Map<string, string>> {
  const reports = await readLastCrawlReports(reportsDir);
  return new Map([...reports].map(([sourceId, report]) => [sourceId, report.startedAt]));
}
