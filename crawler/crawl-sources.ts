import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { cleanUrl } from './clean-url.ts';
import { countError, type CrawlReport, emptyReport } from './crawl-report.ts';
import type { CrawlSettings } from './crawl-settings.ts';
import type { RobotsPolicy } from './discovery/robots-policy.ts';
import { mayFetchForDiscovery } from './discovery-scope.ts';
import { createCrawlerAgent } from './fetch/crawler-agent.ts';
import type { FetchPageOptions } from './fetch/fetch-page.ts';
import { Frontier } from './frontier.ts';
import { crawlHost } from './host-crawl.ts';
import type { VisitContext } from './page-visit.ts';
import { createInProcessPageReader } from './page-reader.ts';
import { createPageReaderPool } from './page-reader-pool.ts';
import { HostGates } from './politeness/host-gates.ts';
import type { HostPoliteness } from './politeness/host-politeness.ts';
import { createPoliteFetch } from './polite-fetch.ts';
import { loadRobots } from './robots-loader.ts';
import { findSourceForUrl } from './scope.ts';
import { discoverSitemapPages } from './sitemap-discovery.ts';
import type { TerritoryRegistry } from '../core/territory-registry.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import { crawlDatasetSource } from './dataset/dataset-crawl.ts';

export interface CrawlOptions {
  sources: readonly Source[];
  store: CrawlStore;
  settings: CrawlSettings;
  log: Logger;
  now?: () => Date;
  wait?: (ms: number) => Promise<unknown>;
  /** Called every few seconds while crawling, for the live progress line. */
  onProgress?: (reports: readonly CrawlReport[], queuedBySource: ReadonlyMap<string, number>) => void;
  /**
   * Called when a host's crawl ends, with its sources: their new and changed documents may be
   * indexed now rather than when the slowest host is done. Deletions are decided at the end.
   */
  onHostCrawled?: (sourceIds: readonly string[]) => Promise<void>;
  /**
   * Called, not awaited, when a batch of documents is in the store while the crawl goes on (a
   * dataset file read): indexing them then overlaps with reading the next file.
   */
  onDocumentsStored?: () => void;
  /** The official territories: a dataset row's territory is resolved against them (dataset sources only). */
  territories?: TerritoryRegistry;
  /**
   * Each host's gates, when they are shared with other crawls (crawl workers, through Redis); by
   * default this crawl's own, paced by its sources' settings.
   */
  politeness?: HostPoliteness;
}

type Robots = RobotsPolicy | 'allow-all';

/**
 * Crawls the enabled sources into the crawl store: each origin politely (robots.txt, sitemaps, its
 * own rate and concurrency), all origins at once under a global limit. One failing source never
 * stops the others. Resumes the previous run if it was killed, and continues a source whose last
 * crawl stopped at its time budget. Returns one report per source.
 */
export async function crawlSources(options: CrawlOptions): Promise<CrawlReport[]> {
  const { store, settings, log } = options;
  const now = options.now ?? (() => new Date());
  const wait = options.wait ?? sleep;
  const sources = options.sources.filter((source) => source.enabled);
  const started = now();
  const { runId, resumed } = store.beginRun(
    sources.map((source) => source.id),
    started,
  );
  const continued = new Set(
    store.continueUnfinishedCycles(
      runId,
      sources.map((source) => source.id),
    ),
  );
  const reports = new Map(
    sources.map((source) => [
      source.id,
      { ...emptyReport(source.id, started), resumed: resumed || continued.has(source.id) },
    ]),
  );
  const report = (sourceId: string) => reports.get(sourceId)!;
  const frontier = new Frontier(runId, sources, store, report);
  // A dataset source's documents are its files' rows: there are no pages of it to crawl.
  for (const source of sources) {
    if (!source.dataset) frontier.offer(cleanUrl(new URL(source.url)), 0, source.id);
  }

  const agent = createCrawlerAgent({
    connectTimeoutMs: settings.connectTimeoutMs,
    connectionsPerOrigin: settings.liftPoliteness ? settings.globalConcurrency : 4,
    allowPrivateNetworks: settings.allowPrivateNetworks,
    lookupHost: settings.lookupHost,
  });
  const robotsByOrigin = new Map<string, Robots>();
  const pageReader =
    settings.extractWorkers > 0
      ? createPageReaderPool({
          workers: settings.extractWorkers,
          extractTimeoutMs: settings.extractTimeoutMs,
          log,
        })
      : createInProcessPageReader();
  const origins = groupByOrigin(sources);
  const gates: HostPoliteness =
    options.politeness ??
    new HostGates({
      // A host of no source (robots.txt moved to the site's other host) gets the default pace.
      requestsPerSecond: (origin) =>
        settings.liftPoliteness
          ? 0
          : Math.min(
              ...(origins.get(origin) ?? [DEFAULT_PACE]).map((source) => source.crawl.requestsPerSecond),
            ),
      maxCrawlDelaySeconds: settings.maxCrawlDelaySeconds,
      now: () => now().getTime(),
      wait,
    });
  const politeFetch = createPoliteFetch(gates, pLimit(settings.globalConcurrency));
  const fetchOptionsFor = (origin: string): Omit<FetchPageOptions, 'beforeRequest' | 'conditional'> => ({
    dispatcher: agent,
    userAgent: settings.userAgent,
    limits: settings.fetchLimits,
    now,
    // Checked before every request, redirect hops included: scope, then this origin, then robots.txt.
    mayRequest: (url) => {
      if (!findSourceForUrl(url, sources)) return 'out-of-scope';
      if (url.origin !== origin) return 'other-origin';
      const robots = robotsByOrigin.get(origin);
      return robots === undefined || robots === 'allow-all' || robots.isAllowed(url) ? true : 'robots';
    },
  });
  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.([...reports.values()], store.queuedCounts(runId)), 2000)
    : undefined;
  /** Origins whose crawl stopped at the time budget: not crawled again this run. */
  const stopped = new Set<string>();
  const deadline = started.getTime() + settings.sourceBudgetMs;

  const crawlOrigin = async (origin: string, onHost: Source[]) => {
    const first = onHost[0]!;
    const fetchOptions = fetchOptionsFor(origin);
    // robots.txt and sitemaps are the site's files, not pages: checked by their own rule, not the globs.
    const discoveryOptions = {
      ...fetchOptions,
      mayRequest: (url: URL) => mayFetchForDiscovery(url, new URL(origin), robotsByOrigin.get(origin)),
    };
    const fetchOne = (url: URL) => politeFetch(url, discoveryOptions);
    if (!robotsByOrigin.has(origin)) {
      const robots = await loadRobots(new URL(origin), {
        userAgent: settings.userAgent,
        fetchOne,
        retryDelaysMs: settings.robotsRetryDelaysMs,
        wait,
      });
      report(first.id).fetched += robots.fetched;
      if (robots.kind === 'unavailable') {
        if (robots.error)
          countError(report(first.id), robots.error.kind, robots.error.url, robots.error.message);
        for (const source of onHost) report(source.id).incomplete = robots.reason;
        log.warn({ origin, reason: robots.reason }, 'host skipped this run');
        return;
      }
      robotsByOrigin.set(origin, robots.kind === 'policy' ? robots.policy : 'allow-all');
      const asked = robots.kind === 'policy' ? robots.policy.crawlDelaySeconds : null;
      if (asked && !settings.liftPoliteness) {
        const honoured = gates.applyCrawlDelay(new URL(origin), asked);
        for (const source of onHost) report(source.id).crawlDelay = { asked, honoured };
      }
      for (const source of onHost) {
        if (!source.dataset) continue;
        if (!options.territories) throw new Error(`dataset source ${source.id}: no territory registry given`);
        await crawlDatasetSource(
          { ...source, dataset: source.dataset },
          {
            runId,
            store,
            fetchOptions,
            politeFetch,
            territories: options.territories,
            report,
            now,
            log,
            ...(options.onDocumentsStored ? { onFileRead: options.onDocumentsStored } : {}),
          },
        );
      }
      const webSources = onHost.filter((source) => !source.dataset);
      if (webSources.length > 0) {
        const sitemap = await discoverSitemapPages(
          new URL(origin),
          robots.kind === 'policy' ? robots.policy.sitemaps : [],
          {
            fetchOne,
            maxSitemaps: settings.maxSitemaps,
            maxPages: webSources.reduce((sum, source) => sum + source.crawl.maxPages, 0),
            maxDecompressedBytes: settings.fetchLimits.maxDecompressedBytes,
          },
        );
        report(webSources[0]!.id).fetched += sitemap.fetched;
        for (const page of sitemap.pages)
          frontier.offer(cleanUrl(page.url), 1, webSources[0]!.id, page.lastmod);
      }
    }
    const context: VisitContext = {
      runId,
      sources,
      store,
      fetchOptions,
      politeFetch,
      pageReader,
      report,
      now,
      revalidateAfterMs: settings.revalidateAfterMs,
    };
    const concurrency = settings.liftPoliteness
      ? settings.globalConcurrency
      : Math.min(...onHost.map((source) => source.crawl.maxConcurrency));
    const left = await crawlHost(
      store.queued(runId).filter((queued) => new URL(queued.url).origin === origin),
      {
        origin,
        concurrency,
        gate: gates.of(new URL(origin)),
        frontier,
        context,
        maxRetries: settings.maxRetries,
        maxBackOffMs: settings.maxBackOffMs,
        deadline,
        now: () => now().getTime(),
        log,
      },
    );
    if (left > 0) {
      stopped.add(origin);
      const minutes = Math.round(settings.sourceBudgetMs / 60_000);
      for (const source of onHost) {
        report(source.id).incomplete =
          `time budget of ${minutes} min reached: ${left} URLs left for the next run`;
        store.stopCycle(source.id, runId, now());
      }
      log.warn({ origin, left }, 'host stopped at its time budget; the next run continues it');
    }
    await options.onHostCrawled?.(onHost.map((source) => source.id));
  };

  try {
    // Pages of one host may link to another's after that host's crawl ended: such URLs are still
    // queued in the store, so origins are crawled again until nothing is left (a few rounds at most).
    for (let round = 0; round < 5; round++) {
      const pending = new Set(store.queued(runId).map((queued) => new URL(queued.url).origin));
      const todo = [...origins].filter(
        ([origin]) =>
          round === 0 ||
          (pending.has(origin) && robotsByOrigin.get(origin) !== undefined && !stopped.has(origin)),
      );
      if (todo.length === 0) break;
      const outcomes = await Promise.allSettled(todo.map(([origin, onHost]) => crawlOrigin(origin, onHost)));
      outcomes.forEach((outcome, index) => {
        if (outcome.status === 'rejected') {
          const [origin, onHost] = todo[index]!;
          log.error({ origin, err: outcome.reason as unknown }, 'host crawl failed');
          for (const source of onHost)
            report(source.id).incomplete = `crawl failed: ${String(outcome.reason)}`;
        }
      });
    }
    purgeWhatWasNotKept(sources, runId, store, report, now);
    store.finishRun(runId, now());
  } finally {
    clearInterval(progress);
    await Promise.all([agent.close(), pageReader.close()]);
  }
  const finished = now().getTime();
  for (const sourceReport of reports.values()) sourceReport.durationMs = finished - started.getTime();
  return [...reports.values()];
}

/** The pace of a host that is no source's own (robots.txt moved to the site's other host). */
const DEFAULT_PACE = { crawl: { requestsPerSecond: 1 } };

/**
 * The one place documents are deleted: those of a source that no visit of this run kept (gone,
 * noindex, unlinked, out of the rules now). Deciding at the end, not per visit, keeps a document that
 * one URL dropped but another kept (a moved page whose old URL is now a 404). Not for an incomplete
 * source: a site that was down must not lose its pages.
 */
function purgeWhatWasNotKept(
  sources: readonly Source[],
  runId: number,
  store: CrawlStore,
  report: (sourceId: string) => CrawlReport,
  now: () => Date,
): void {
  for (const source of sources) {
    if (report(source.id).incomplete) continue;
    const notKept = store.documentsNotKept(runId, source.id);
    if (looksLikeASiteFailure(notKept.length, store.documents.liveDocumentCount(source.id))) {
      store.documents.holdDeletions(source.id, runId, notKept, now().toISOString());
      report(source.id).heldDeletions = notKept.length;
      continue;
    }
    store.documents.holdDeletions(source.id, runId, [], now().toISOString());
    store.documents.removeDocuments(notKept, now().toISOString());
    report(source.id).deleted += notKept.length;
  }
}

/**
 * More than 10% of a source's documents gone in one run is more often a broken site or a botched
 * CMS migration than real unpublishing: such deletions wait for an admin. A handful of pages is
 * always allowed, or a 12-page site could never lose two.
 */
export function looksLikeASiteFailure(lost: number, live: number): boolean {
  return lost > DELETION_GUARD_MIN_PAGES && lost > live * DELETION_GUARD_SHARE;
}
const DELETION_GUARD_SHARE = 0.1;
const DELETION_GUARD_MIN_PAGES = 5;

function groupByOrigin(sources: readonly Source[]): Map<string, Source[]> {
  const origins = new Map<string, Source[]>();
  for (const source of sources) {
    const origin = new URL(source.url).origin;
    origins.set(origin, [...(origins.get(origin) ?? []), source]);
  }
  return origins;
}
