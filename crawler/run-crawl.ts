import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import type { Source } from '../core/source.ts';
import { DocumentBatcher } from '../indexer/document-batcher.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { toSearchDocument } from '../indexer/to-search-document.ts';
import type { CrawlReport } from './crawl-report.ts';
import { crawlSources } from './crawl-sources.ts';

export interface RunCrawlOptions {
  sources: readonly Source[];
  client: Meilisearch;
  indexUid: string;
  userAgent: string;
  log: Logger;
  now?: () => Date;
}

/** Crawls the sources and indexes what they yield: the whole `npm run crawl`, minus argv and env. */
export async function runCrawl(options: RunCrawlOptions): Promise<CrawlReport[]> {
  const { client, indexUid, log } = options;
  await ensureIndex(client, indexUid);
  const sourcesById = new Map(options.sources.map((source) => [source.id, source]));
  const batcher = new DocumentBatcher(client, indexUid);
  const reports = await crawlSources({
    sources: options.sources,
    userAgent: options.userAgent,
    log,
    now: options.now,
    onPage: (page) => batcher.add(toSearchDocument(page, sourcesById.get(page.sourceId)!)),
  });
  await batcher.flush();
  log.info({ indexed: batcher.indexed }, 'crawl indexed');
  return reports;
}
