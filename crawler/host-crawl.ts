import {
  BasicCrawler,
  type BasicCrawlingContext,
  Configuration,
  Log,
  LogLevel,
  Router,
} from '@crawlee/basic';
import { MemoryStorage } from '@crawlee/memory-storage';
import type { LimitFunction } from 'p-limit';
import { z } from 'zod';
import type { Logger } from '../core/logger.ts';
import { countError } from './crawl-report.ts';
import type { Frontier } from './frontier.ts';
import { RetryableFetchError, type VisitContext, visitPage } from './page-visit.ts';
import type { HostGate } from './politeness/host-gate.ts';
import type { QueuedUrl } from './state/crawl-store.ts';

export interface HostCrawlOptions {
  origin: string;
  /** Simultaneous requests to this host. */
  concurrency: number;
  gate: HostGate;
  /** Shared by every host: the crawl's global concurrency limit. */
  globalLimit: LimitFunction;
  frontier: Frontier;
  context: VisitContext;
  maxRetries: number;
  /** Longest back-off honoured from a Retry-After header; a server asking for more gets this. */
  maxBackOffMs: number;
  log: Logger;
}

// Crawlee validates every request's userData against this schema when it is added and handled.
const QueuedUserData = z.object({
  sourceId: z.string(),
  depth: z.number().int().min(0),
  sitemapLastmod: z.string().nullable(),
});

/**
 * Crawls the queued URLs of one origin with a Crawlee BasicCrawler: Crawlee runs the pool, the
 * retries and the in-memory queue; each request goes through the host's rate gate and the global
 * limit, then `visitPage`. One crawler per host is what makes per-host concurrency exact: a slot is
 * never held waiting for another host. Links to other hosts stay queued in the store: the crawl of
 * their own host picks them up (see crawl-sources.ts).
 */
export async function crawlHost(initial: readonly QueuedUrl[], options: HostCrawlOptions): Promise<void> {
  const { context, frontier, gate } = options;
  const router = Router.create<BasicCrawlingContext, { page: typeof QueuedUserData }>({
    page: QueuedUserData,
  });
  router.addHandler('page', async ({ request, addRequests }) => {
    const queued: QueuedUrl = { url: request.url, ...request.userData };
    await gate.turn();
    const links = await options.globalLimit(() => visitPage(queued, context));
    const sameHost: QueuedUrl[] = [];
    for (const link of links) {
      const next = frontier.offer(link, queued.depth + 1, queued.sourceId);
      if (next && link.origin === options.origin) sameHost.push(next);
    }
    // Awaited inside the handler, so the crawler cannot see an empty queue and stop before they land.
    if (sameHost.length > 0) await addRequests(sameHost.map(toRequest));
  });

  const crawler = new BasicCrawler(
    {
      requestHandler: router,
      minConcurrency: options.concurrency,
      maxConcurrency: options.concurrency,
      autoscaledPoolOptions: { desiredConcurrency: options.concurrency },
      maxRequestRetries: options.maxRetries,
      // Waiting for the gate and the global limit counts here; the fetch has its own timeout.
      requestHandlerTimeoutSecs: 600,
      useSessionPool: false,
      statusMessageLoggingInterval: 3600,
      log: new Log({ level: LogLevel.OFF }),
      errorHandler: ({ request }, error) => {
        if (!(error instanceof RetryableFetchError)) return;
        // 429/503 with Retry-After: the whole host waits, not just this URL; else a short back-off.
        const delay = error.retryAfterMs ?? 500 * 2 ** request.retryCount;
        gate.backOff(Math.min(delay, options.maxBackOffMs));
      },
      failedRequestHandler: ({ request }, error) => {
        const { sourceId } = QueuedUserData.parse(request.userData);
        const kind = error instanceof RetryableFetchError ? error.kind : 'crawler';
        countError(context.report(sourceId), kind, request.url, error.message);
        const previous = context.store.previousVisit(request.url);
        // A page that fails now keeps the document it had: failures are often transient.
        context.store.recordVisit(request.url, {
          outcome: 'error',
          error: `${kind}: ${error.message}`.slice(0, 500),
          indexedUrl: previous?.indexedUrl ?? null,
          fetchedAt: context.now().toISOString(),
        });
        options.log.debug({ url: request.url, kind }, 'page failed after retries');
      },
    },
    // In memory: the durable queue is the crawl store, not Crawlee's file storage.
    new Configuration({ persistStorage: false, storageClient: new MemoryStorage({ persistStorage: false }) }),
  );

  await crawler.run(initial.map(toRequest));
}

function toRequest(queued: QueuedUrl) {
  return {
    url: queued.url,
    // The URL exactly as queued: Crawlee's own normalization would merge URLs the site treats apart.
    uniqueKey: queued.url,
    label: 'page' as const,
    userData: { sourceId: queued.sourceId, depth: queued.depth, sitemapLastmod: queued.sitemapLastmod },
  };
}
