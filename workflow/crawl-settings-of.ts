import type { Config } from '../core/config.ts';
import { type CrawlSettings, defaultCrawlSettings } from '../crawler/crawl-settings.ts';

/** The crawl's settings as the operator configured them: `npm run crawl` and `npm run worker` alike. */
export function crawlSettingsOf(config: Config): CrawlSettings {
  const defaults = defaultCrawlSettings(config.CRAWL_USER_AGENT);
  return {
    ...defaults,
    globalConcurrency: config.CRAWL_CONCURRENCY,
    allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS,
    extractWorkers: config.CRAWL_EXTRACT_WORKERS ?? defaults.extractWorkers,
    revalidateAfterMs: config.CRAWL_REVALIDATE_DAYS * 86_400_000,
    maxCrawlDelaySeconds: config.CRAWL_MAX_DELAY_SECONDS,
    sourceBudgetMs: config.CRAWL_SOURCE_BUDGET_MINUTES * 60_000,
  };
}
