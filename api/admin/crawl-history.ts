import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** What the admin status shows of a source's last crawl report (crawler/crawl-report.ts writes it). */
const ReportSchema = z.object({
  sourceId: z.string(),
  startedAt: z.string(),
  durationMs: z.number().default(0),
  new: z.number().default(0),
  changed: z.number().default(0),
  unchanged: z.number().default(0),
  deleted: z.number().default(0),
  fetched: z.number().default(0),
  heldDeletions: z.number().default(0),
  errors: z.record(z.string(), z.number()).default({}),
  errorSamples: z.array(z.object({ url: z.string(), error: z.string() })).default([]),
  quarantined: z.array(z.unknown()).default([]),
  incomplete: z.string().nullable().default(null),
});
export type LastCrawl = Omit<z.infer<typeof ReportSchema>, 'quarantined'> & {
  quarantined: number;
  /** `complete`, or what needs attention: `incomplete`, `deletions-held`, `quarantined`. */
  result: 'complete' | 'incomplete' | 'deletions-held' | 'quarantined';
};

/** Enough history to cover a source crawled alone long ago, without reading years of reports. */
const REPORTS_READ = 100;

/**
 * Each source's last crawl report, from DATA_DIR/reports, newest files first. A file that does not
 * parse (cut short) is skipped, as is an entry of another shape: the older reports still tell.
 */
export async function readLastCrawlReports(reportsDir: string): Promise<Map<string, LastCrawl>> {
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  const newestFirst = files
    .filter((file) => /^crawl-.*\.json$/.test(file))
    .sort()
    .reverse()
    .slice(0, REPORTS_READ);
  const last = new Map<string, LastCrawl>();
  for (const file of newestFirst) {
    let entries: unknown;
    try {
      entries = JSON.parse(await readFile(path.join(reportsDir, file), 'utf8'));
    } catch {
      continue;
    }
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const parsed = ReportSchema.safeParse(entry);
      if (!parsed.success || last.has(parsed.data.sourceId)) continue;
      const report = parsed.data;
      last.set(report.sourceId, {
        ...report,
        errorSamples: report.errorSamples.slice(0, 5),
        quarantined: report.quarantined.length,
        result: report.incomplete
          ? 'incomplete'
          : report.heldDeletions > 0
            ? 'deletions-held'
            : report.quarantined.length > 0
              ? 'quarantined'
              : 'complete',
      });
    }
  }
  return last;
}
