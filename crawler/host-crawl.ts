import { AutoscaledPool, Configuration, Log, LogLevel } from '@crawlee/basic';
import type { Logger } from '../core/logger.ts';
import { countError } from './crawl-report.ts';
import type { Frontier } from './frontier.ts';
import { RetryableFetchError, type VisitContext, visitPage } from './page-visit.ts';
import type { HostGateLike } from './politeness/host-politeness.ts';
import type { QueuedUrl } from '../store/page-state.ts';

export interface HostCrawlOptions {
  origin: string;
  /** Simultaneous requests to this host. */
  concurrency: number;
  /** The host's rate gate: requests take their turn in it (polite-fetch.ts); failures back it off. */
  gate: HostGateLike;
  frontier: Frontier;
  context: VisitContext;
  maxRetries: number;
  /** Longest back-off honoured from a Retry-After header; a server asking for more gets this. */
  maxBackOffMs: number;
  /** No visit starts after this instant (ms): the rest stays queued for the next run. */
  deadline?: number;
  now?: () => number;
  log: Logger;
}

interface PendingVisit {
  queued: QueuedUrl;
  /** Failed attempts so far. */
  retries: number;
}

/**
 * Crawls the queued URLs of one origin with a Crawlee AutoscaledPool held at a fixed size (the host's
 * concurrency): each visit is `visitPage`, whose requests take the host's turn and a slot of the
 * global limit (a visit the sitemap settles sends none and waits for nothing).
 * One pool per host is what makes per-host concurrency exact: a slot is never held waiting for
 * another host. Links to other hosts stay queued in the store: the crawl of their own host picks them
 * up (see crawl-sources.ts).
 *
 * Why the pool and not a BasicCrawler: the crawler builds, validates (ow, shapeshift) and stores a
 * Crawlee Request for every URL, which cost as much CPU per page as fetching it did (bench:crawl);
 * the durable queue is the crawl store anyway, so the in-memory queue here is a plain array, and the
 * retries BasicCrawler gave are the few lines of `settle`.
 */
export async function crawlHost(initial: readonly QueuedUrl[], options: HostCrawlOptions): Promise<number> {
  const { context, frontier, gate } = options;
  const now = options.now ?? Date.now;
  const pastDeadline = () => options.deadline !== undefined && now() >= options.deadline;
  const queue: PendingVisit[] = initial.map((queued) => ({ queued, retries: 0 }));
  let head = 0;
  let inFlight = 0;

  const visit = async (pending: PendingVisit): Promise<void> => {
    const { queued } = pending;
    const links = await visitPage(queued, context);
    for (const link of links) {
      const next = frontier.offerHref(link, queued.depth + 1, queued.sourceId);
      if (next && new URL(next.url).origin === options.origin) queue.push({ queued: next, retries: 0 });
    }
  };

  /** A failed attempt: retried later (the whole host backs off on 429/503), or recorded as failed. */
  const settle = (pending: PendingVisit, error: unknown): void => {
    const { queued } = pending;
    if (pending.retries < options.maxRetries) {
      if (error instanceof RetryableFetchError) {
        // 429/503 with Retry-After: the whole host waits, not just this URL; else a short back-off.
        const delay = error.retryAfterMs ?? 500 * 2 ** pending.retries;
        gate.backOff(Math.min(delay, options.maxBackOffMs));
      }
      queue.push({ queued, retries: pending.retries + 1 });
      return;
    }
    const kind = error instanceof RetryableFetchError ? error.kind : 'crawler';
    const message = error instanceof Error ? error.message : String(error);
    countError(context.report(queued.sourceId), kind, queued.url, message);
    const previous = context.store.previousVisit(queued.url);
    // A page that fails now keeps the document it had: failures are often transient.
    context.store.recordVisit(queued.url, {
      outcome: 'error',
      error: `${kind}: ${message}`.slice(0, 500),
      indexedUrl: previous?.indexedUrl ?? null,
      fetchedAt: context.now().toISOString(),
    });
    options.log.debug({ url: queued.url, kind }, 'page failed after retries');
  };

  const pool = new AutoscaledPool(
    {
      minConcurrency: options.concurrency,
      maxConcurrency: options.concurrency,
      desiredConcurrency: options.concurrency,
      // Never rejects: a task that threw would stop the whole pool.
      runTaskFunction: async () => {
        const pending = queue[head++];
        if (!pending) return;
        if (head > 1024 && head * 2 > queue.length) {
          // Drop what was taken, so a long crawl does not keep every visited URL in memory.
          queue.splice(0, head);
          head = 0;
        }
        inFlight++;
        try {
          await visit(pending);
        } catch (error) {
          try {
            settle(pending, error);
          } catch (settleError) {
            options.log.error({ url: pending.queued.url, err: settleError }, 'could not record a failure');
          }
        } finally {
          inFlight--;
        }
      },
      isTaskReadyFunction: () => Promise.resolve(head < queue.length && !pastDeadline()),
      isFinishedFunction: () => Promise.resolve((head >= queue.length || pastDeadline()) && inFlight === 0),
      log: new Log({ level: LogLevel.OFF }),
      loggingIntervalSecs: null,
    },
    new Configuration({ persistStorage: false }),
  );
  await pool.run();
  // Past the deadline: what was not visited stays queued in the store (retries included).
  return queue.length - head;
}
