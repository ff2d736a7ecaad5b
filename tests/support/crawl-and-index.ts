import { silentLogger } from '../../core/logger.ts';
import type { CrawlReport } from '../../crawler/crawl-report.ts';
import { type RunCrawlOptions, runCrawl } from '../../workflow/run-crawl.ts';
import { type IndexerResources, loadIndexerResources } from '../../indexer/indexer-resources.ts';
import { testCrawlSettings } from './test-crawl.ts';
import { testMeiliClient } from './test-meilisearch.ts';

let resources: Promise<IndexerResources> | undefined;

/** The indexer's reviewed files, loaded once per test file. */
export function testIndexerResources(): Promise<IndexerResources> {
  resources ??= loadIndexerResources();
  return resources;
}

/** `npm run crawl` in process: crawls into the store, then syncs the test Meilisearch index. */
export async function crawlAndIndex(
  options: Pick<RunCrawlOptions, 'sources' | 'store' | 'indexUid'> & Partial<RunCrawlOptions>,
): Promise<CrawlReport[]> {
  const { reports } = await runCrawl({
    client: testMeiliClient(),
    settings: testCrawlSettings(),
    resources: await testIndexerResources(),
    log: silentLogger(),
    ...options,
  });
  return reports;
}

/** The report of one source. */
export function reportOf(reports: readonly CrawlReport[], sourceId: string): CrawlReport {
  const report = reports.find((candidate) => candidate.sourceId === sourceId);
  if (!report) throw new Error(`no report for ${sourceId}`);
  return report;
}
