import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';

/**
 * Saves a run's reports as DATA_DIR/reports/crawl-<time>.json, atomically: the API reads these
 * files (/v1/sources, the admin's source status) and must never see half of one. Returns the file.
 */
export async function saveCrawlReports(
  reportsDir: string,
  reports: readonly CrawlReport[],
  now: Date,
): Promise<string> {
  const file = path.join(reportsDir, `crawl-${now.toISOString().replace(/[:.]/g, '-')}.json`);
  await mkdir(reportsDir, { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(reports, null, 2)}\n`);
  return file;
}
