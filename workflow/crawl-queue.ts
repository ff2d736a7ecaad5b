import { Queue } from 'bullmq';
import { z } from 'zod';

/** The BullMQ queue crawl jobs go through, between `npm start`'s scheduler and `npm run worker`. */
export const CRAWL_QUEUE_NAME = 'pas-crawl';

/** One job: crawl one source once. What a worker reads back is parsed: Redis is shared. */
export const CrawlJobSchema = z.object({
  sourceId: z.string().min(1).max(64),
  requestedBy: z.string().min(1).max(200),
  queuedAt: z.iso.datetime(),
});
export type CrawlJobData = z.infer<typeof CrawlJobSchema>;

/** How BullMQ reaches Redis: a URL, and no per-command retry limit (workers block on Redis). */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  return { url, maxRetriesPerRequest: null };
}

/**
 * Job options. The job id is the source's, so a source is in the queue at most once, waiting or
 * being crawled: the scheduler can queue it again at every look without a second crawl. Ended jobs
 * are removed (the crawl's report and the store's source health are the record), which frees the
 * id for the next run. A worker refused because the store has a writer (a hand-run crawl, a
 * rebuild) gives the job back to be tried again after a back-off.
 */
function jobOptions(sourceId: string) {
  return {
    jobId: sourceId,
    removeOnComplete: true,
    removeOnFail: true,
    attempts: 6,
    backoff: { type: 'exponential', delay: 30_000 },
  } as const;
}

/** The producer's side of the crawl queue. */
export class CrawlQueue {
  private readonly queue: Queue<CrawlJobData>;

  constructor(redisUrl: string) {
    this.queue = new Queue<CrawlJobData>(CRAWL_QUEUE_NAME, { connection: redisConnection(redisUrl) });
  }

  /** Queues a crawl of the source; false when one is already waiting or running. */
  async enqueue(sourceId: string, requestedBy: string, now = new Date()): Promise<boolean> {
    const existing = await this.queue.getJob(sourceId);
    if (existing) return false;
    await this.queue.add(
      'crawl',
      { sourceId, requestedBy, queuedAt: now.toISOString() },
      jobOptions(sourceId),
    );
    return true;
  }

  /** Jobs waiting (including delayed retries) and being crawled: the queue's depth. */
  async depth(): Promise<{ waiting: number; active: number }> {
    const counts = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    return {
      waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
    };
  }

  /** Source ids waiting or being crawled. */
  async queuedSourceIds(): Promise<Set<string>> {
    const jobs = await this.queue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    return new Set(jobs.map((job) => job.id).filter((id): id is string => id !== undefined));
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
