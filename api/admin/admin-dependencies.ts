import type { Meilisearch } from 'meilisearch';
import type { AdminTokens } from '../../core/admin-tokens.ts';
import type { CrawlSchedule } from '../../core/crawl-schedule.ts';
import type { Recrawler } from '../../core/recrawl-job.ts';
import type { ScopePreview } from '../../core/scope-preview.ts';
import type { Source } from '../../core/source.ts';
import type { UrlInspection } from '../../core/url-inspection.ts';
import type { CrawlStore } from '../../store/crawl-store.ts';
import type { QueryInsights } from './query-insights.ts';
import type { SourcesCatalog } from './sources-catalog.ts';

/**
 * What the admin API needs beyond the public API's dependencies, built by main.ts (or a test). The
 * URL inspector, the scope preview and recrawls are the crawler's and the workflow's, which api/
 * may not import (eslint.config.js): main.ts builds them and hands them over as functions.
 */
export interface AdminDependencies {
  tokens: AdminTokens;
  catalog: SourcesCatalog;
  store: CrawlStore;
  /** A client with the master key: the admin's changes to the index (a purge) go through it. */
  indexClient: Meilisearch;
  /** Where `npm run crawl` writes its reports (DATA_DIR/reports). */
  reportsDir: string;
  inspectUrl: (url: URL) => Promise<UrlInspection>;
  previewScope: (source: Source, limit: number) => Promise<ScopePreview>;
  recrawler: Recrawler;
  /** The scheduler's plan (workflow/scheduler.ts); none with SCHEDULER=off. */
  schedule?: CrawlSchedule;
  /** The crawl queue the workers take their jobs from (workflow/crawl-queue.ts), when REDIS_URL is set. */
  crawlQueue?: {
    depth(): Promise<{ waiting: number; active: number }>;
    /** Queues a crawl of the source for the workers; false when one is already waiting or running. */
    enqueue(sourceId: string, requestedBy: string): Promise<boolean>;
  };
  insights: QueryInsights;
  now: () => Date;
}
