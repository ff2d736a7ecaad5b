import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const ReportsSchema = z.array(z.object({ sourceId: z.string(), startedAt: z.string() }).loose());
/** Enough history to cover a source crawled alone long ago, without reading years of reports. */
const REPORTS_READ = 100;

/**
 * When each source was last crawled, from the JSON reports `npm run crawl` writes under
 * DATA_DIR/reports (newest first; a report that does not parse is skipped, not fatal).
 */
export async function readLastCrawls(reportsDir: string): Promise<Map<string, string>> {
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  const newestFirst = files
    .filter((file) => /^crawl-.*\.json$/.test(file))
    .sort()
    .reverse()
    .slice(0, REPORTS_READ);
  const lastCrawls = new Map<string, string>();
  for (const file of newestFirst) {
    const parsed = ReportsSchema.safeParse(
      JSON.parse(await readFile(path.join(reportsDir, file), 'utf8').catch(() => 'null')),
    );
    if (!parsed.success) continue;
    for (const report of parsed.data)
      if (!lastCrawls.has(report.sourceId)) lastCrawls.set(report.sourceId, report.startedAt);
  }
  return lastCrawls;
}
