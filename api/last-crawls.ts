import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const ReportsSchema = z.array(z.object({ sourceId: z.string(), startedAt: z.string() }).loose());
/** Enough history to cover a source crawled alone long ago, without reading years of reports. */
const REPORTS_READ = 100;

/**
 * When each source was last crawled, from the JSON reports `npm run crawl` writes under
 * DATA_DIR/reports (newest first). A report that cannot be read or does not parse (cut short by a
 * crawl killed while writing it, or by a full disk) is skipped: the older ones still tell.
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
      parseJson(await readFile(path.join(reportsDir, file), 'utf8').catch(() => '')),
    );
    if (!parsed.success) continue;
    for (const report of parsed.data)
      if (!lastCrawls.has(report.sourceId)) lastCrawls.set(report.sourceId, report.startedAt);
  }
  return lastCrawls;
}

/** The JSON value of `text`, or `undefined` when it is not JSON (which the schema then refuses). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
