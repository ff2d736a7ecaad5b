import { MemoryStorage } from '@crawlee/memory-storage';
import { Configuration, createHttpRouter, HttpCrawler, Log, LogLevel } from '@crawlee/http';
import { z } from 'zod';
import type { Logger } from '../core/logger.ts';
import type { RawPage } from '../core/raw-page.ts';
import type { Source } from '../core/source.ts';
import { type CrawlReport, emptyReport } from './crawl-report.ts';
import { extractPage } from './extract-page.ts';
import { findSourceForUrl, isInScope } from './scope.ts';

export interface CrawlOptions {
  sources: readonly Source[];
  userAgent: string;
  log: Logger;
  /** Receives every extracted page; the crawl waits for it (backpressure). */
  onPage: (page: RawPage) => Promise<void> | void;
  maxConcurrency?: number;
  now?: () => Date;
}

const PageUserData = z.object({ sourceId: z.string() });

/** Crawls the given sources, never fetching a URL outside them; one report per source. */
export async function crawlSources(options: CrawlOptions): Promise<CrawlReport[]> {
  const { sources, userAgent, log, onPage } = options;
  const now = options.now ?? (() => new Date());
  const enabled = sources.filter((source) => source.enabled);
  const reports = new Map(enabled.map((source) => [source.id, emptyReport(source.id, now())]));
  const report = (sourceId: string) => reports.get(sourceId)!;
  // Every URL ever queued, per source: dedupes links before they cost a Request object.
  const queued = new Map(enabled.map((source) => [source.id, new Set<string>()]));
  // Requests whose redirect left every source: not an error, a scope decision (counted, not retried).
  const refusedRedirects = new Set<string>();

  const router = createHttpRouter({ page: PageUserData });
  router.addHandler('page', async ({ request, body, addRequests }) => {
    const source = enabled.find((candidate) => candidate.id === request.userData.sourceId)!;
    const loadedUrl = new URL(request.loadedUrl ?? request.url);
    if (!isInScope(loadedUrl, source)) {
      report(source.id).skippedOutOfScope++;
      return;
    }
    const extracted = extractPage(body.toString(), loadedUrl);
    await onPage({
      url: loadedUrl.href,
      sourceId: source.id,
      status: 200,
      title: extracted.title,
      description: extracted.description,
      text: extracted.text,
      lang: extracted.lang,
      fetchedAt: now().toISOString(),
    });
    report(source.id).pages++;
    // A link to another trusted source is crawled under that source, not under this one.
    const next = [];
    for (const link of extracted.links) {
      const owner = findSourceForUrl(link, enabled);
      if (!owner) continue;
      const seen = queued.get(owner.id)!;
      if (seen.has(link.href) || seen.size >= owner.crawl.maxPages) continue;
      seen.add(link.href);
      next.push({ url: link.href, label: 'page', userData: { sourceId: owner.id } });
    }
    if (next.length > 0) await addRequests(next);
  });

  const crawler = new HttpCrawler(
    {
      requestHandler: router,
      maxConcurrency: options.maxConcurrency ?? 2,
      minConcurrency: 1,
      maxRequestRetries: 2,
      navigationTimeoutSecs: 20,
      requestHandlerTimeoutSecs: 60,
      useSessionPool: false,
      persistCookiesPerSession: false,
      log: new Log({ level: LogLevel.OFF }),
      preNavigationHooks: [
        ({ request }, gotOptions) => {
          // Identify ourselves honestly instead of a generated browser fingerprint.
          gotOptions.useHeaderGenerator = false;
          gotOptions.headers = { ...gotOptions.headers, 'user-agent': userAgent };
          // A redirect is only followed when its target is still in scope: nothing outside is requested.
          gotOptions.followRedirect = (response) => {
            const location = response.headers.location;
            const target =
              location && URL.canParse(location, response.url) ? new URL(location, response.url) : null;
            if (target && findSourceForUrl(target, enabled)) return true;
            refusedRedirects.add(request.uniqueKey);
            return false;
          };
        },
      ],
      errorHandler: ({ request }) => {
        if (refusedRedirects.has(request.uniqueKey)) request.noRetry = true;
      },
      failedRequestHandler: ({ request }, error) => {
        const sourceId = (request.userData as { sourceId?: string }).sourceId;
        if (!sourceId || !reports.has(sourceId)) return;
        if (refusedRedirects.has(request.uniqueKey)) {
          report(sourceId).skippedOutOfScope++;
          return;
        }
        report(sourceId).failed++;
        report(sourceId).errors.push({ url: request.url, message: error.message.slice(0, 300) });
        log.warn({ url: request.url, err: error.message }, 'request failed');
      },
    },
    // In memory: durable crawl state belongs in the project's own store, not in Crawlee's file queue.
    new Configuration({ persistStorage: false, storageClient: new MemoryStorage({ persistStorage: false }) }),
  );

  const started = Date.now();
  await crawler.run(
    enabled.map((source) => {
      queued.get(source.id)!.add(new URL(source.url).href);
      return { url: source.url, label: 'page', userData: { sourceId: source.id } };
    }),
  );
  for (const sourceReport of reports.values()) sourceReport.durationMs = Date.now() - started;
  return [...reports.values()];
}
