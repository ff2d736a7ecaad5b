import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';

/**
 * Saves a run's reports as DATA_DIR/reports/crawl-<time>.json, atomically: the API reads these
 * files (/v1/sources, the admin's source status) and must never see half of one. Returns the file.
 * `tag` (a worker's source id) keeps two workers ending at the same millisecond from sharing a name.
 */
export async function saveCrawlReports(
  reportsDir: string,
  reports: readonly CrawlReport[],
  now: Date,
  tag?: string,
): Promise<string> {
  const time = now.toISOString().replace(/[:.]/g, '-');
  const file = path.join(reportsDir, `crawl-${time}${tag ? `-${tag}` : ''}.json`);
  await mkdir(reportsDir, { recursive: true });
  await writeFileAtomically(file, `${JSON.stringify(reports, null, 2)}\n`);
  return file;
}
