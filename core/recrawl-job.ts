import { z } from 'zod';

/** A recrawl an admin asked for: `npm run crawl -- --source ID`, run by the API in a process of its own. */
export const RecrawlJobSchema = z.object({
  id: z.number(),
  sourceId: z.string(),
  requestedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /**
   * `running`; then from the crawl's exit code: `done` (0), `needs-attention` (3: see the source's
   * last crawl), `refused` (4: another process was writing to the store), `failed` (anything else).
   */
  status: z.enum(['running', 'done', 'needs-attention', 'refused', 'failed']),
  /** The crawl's last lines: its summary, or why it failed. */
  output: z.string(),
});
export type RecrawlJob = z.infer<typeof RecrawlJobSchema>;

/** Starts and lists recrawls (workflow/recrawls.ts), handed to the API by its main.ts. */
export interface Recrawler {
  start(sourceId: string, requestedBy: string): RecrawlJob;
  jobs(): RecrawlJob[];
}
