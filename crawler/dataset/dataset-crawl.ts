import type { Dataset, DatasetFile } from '../../core/dataset.ts';
import type { Logger } from '../../core/logger.ts';
import { contentHash } from '../../core/search-document.ts';
import type { Source } from '../../core/source.ts';
import type { TerritoryRegistry } from '../../core/territory-registry.ts';
import type { CrawlStore } from '../../store/crawl-store.ts';
import { countError, type CrawlReport, type DatasetStats } from '../crawl-report.ts';
import { requestsSent } from '../fetch/fetch-outcome.ts';
import type { FetchPageOptions } from '../fetch/fetch-page.ts';
import { isKept } from '../kept-document.ts';
import type { PoliteFetch } from '../polite-fetch.ts';
import { csvRecords } from './csv-records.ts';
import { type ProjectRow, projectRow } from './project-row.ts';

export interface DatasetCrawlContext {
  runId: number;
  store: CrawlStore;
  fetchOptions: Omit<FetchPageOptions, 'beforeRequest' | 'conditional' | 'consumeBody'>;
  politeFetch: PoliteFetch;
  territories: TerritoryRegistry;
  report: (sourceId: string) => CrawlReport;
  now: () => Date;
  log: Logger;
  /** A file's rows are in the store: they may be indexed while the next file is read. */
  onFileRead?: () => void;
}

/** A dataset file may take this long to download (a national file is ~100 MB). */
const DATASET_TIMEOUT_MS = 15 * 60_000;

/**
 * Crawls a dataset source: each of its files fetched like a page (scope, robots.txt, the host's
 * turn, a conditional request), read as a stream, each row recorded as a document of its own. A file
 * that has not changed (304) costs one request and keeps all its rows; a changed file updates the
 * rows whose content changed, and the rows no longer there are deleted at the end of the run, under
 * the same safety check as pages. A file that cannot be read leaves the source incomplete, so that
 * none of its rows is deleted.
 */
export async function crawlDatasetSource(
  source: Source & { dataset: Dataset },
  context: DatasetCrawlContext,
): Promise<void> {
  const stats: DatasetStats = {
    files: 0,
    rows: 0,
    invalid: 0,
    duplicateKeys: 0,
    widerTerritoryOnly: 0,
    unknownTerritory: 0,
  };
  context.report(source.id).dataset = stats;
  for (const file of source.dataset.files) {
    await crawlFile(source, file, stats, context);
    context.onFileRead?.();
  }
}

async function crawlFile(
  source: Source & { dataset: Dataset },
  file: DatasetFile,
  stats: DatasetStats,
  context: DatasetCrawlContext,
): Promise<void> {
  const { store, runId, fetchOptions } = context;
  const { dataset } = source;
  const report = context.report(source.id);
  const fetchedAt = context.now().toISOString();
  const previous = store.previousVisit(file.url);
  store.enqueue(runId, { url: file.url, sourceId: source.id, depth: 0, sitemapLastmod: null });
  // Validators only once a whole file was read: after a failure the next run reads it all again.
  const conditional =
    previous?.outcome === 'dataset' && previous.validatorsUrl && (previous.etag || previous.lastModified)
      ? { url: previous.validatorsUrl, etag: previous.etag, lastModified: previous.lastModified }
      : null;
  const keys = new Map<string, number>();
  let rows = 0;
  const maxBytes = dataset.maxFileMegabytes * 1_048_576;
  const outcome = await context.politeFetch(new URL(file.url), {
    ...fetchOptions,
    limits: {
      ...fetchOptions.limits,
      maxBytes,
      maxDecompressedBytes: 4 * maxBytes,
      totalTimeoutMs: DATASET_TIMEOUT_MS,
    },
    conditional,
    consumeBody: async (chunks) => {
      for await (const record of csvRecords(chunks, dataset.csv)) {
        const row = projectRow(record.values, dataset, file, context.territories);
        if (!row) {
          stats.invalid++;
          continue;
        }
        const occurrence = (keys.get(row.key) ?? 0) + 1;
        keys.set(row.key, occurrence);
        if (occurrence > 1) stats.duplicateKeys++;
        recordRow(rowUrlOf(file.url, row.key, occurrence), row, source.id, fetchedAt, context);
        if (row.territory.kind === 'wider') stats.widerTerritoryOnly++;
        if (row.territory.kind === 'unknown') stats.unknownTerritory++;
        rows++;
      }
    },
  });
  report.fetched += requestsSent(outcome);
  stats.files++;
  if (outcome.kind === 'fetched') {
    const { etag = null, 'last-modified': lastModified = null } = outcome.headers;
    stats.rows += rows;
    store.recordVisit(file.url, {
      outcome: 'dataset',
      httpStatus: outcome.status,
      validators: etag || lastModified ? { url: outcome.url.href, etag, lastModified } : null,
      fetchedAt,
    });
    return;
  }
  if (outcome.kind === 'not-modified') {
    const kept = store.keepDatasetRows(runId, source.id, rowPrefixOf(file.url));
    report.notModified++;
    report.unchanged += kept;
    stats.rows += kept;
    store.recordVisit(file.url, { outcome: 'dataset', httpStatus: 304, fetchedAt });
    return;
  }
  const reason =
    outcome.kind === 'http-error'
      ? `HTTP ${outcome.status}`
      : outcome.kind === 'refused'
        ? `refused: ${outcome.reason}`
        : outcome.kind === 'network-error'
          ? outcome.code
          : outcome.message;
  countError(
    report,
    outcome.kind === 'http-error' ? `http-${outcome.status}` : outcome.kind,
    file.url,
    reason,
  );
  report.incomplete = `dataset file ${file.url} could not be read (${reason}); none of its rows deleted`;
  store.recordVisit(file.url, { outcome: 'error', error: reason, validators: null, fetchedAt });
  context.log.warn({ url: file.url, reason }, 'dataset file not read');
}

/** A row is a document of its own, kept unless its content changed. */
function recordRow(
  url: string,
  row: ProjectRow,
  sourceId: string,
  fetchedAt: string,
  context: DatasetCrawlContext,
): void {
  const { store, runId } = context;
  const report = context.report(sourceId);
  const previous = store.previousVisit(url);
  store.enqueue(runId, { url, sourceId, depth: 1, sitemapLastmod: null });
  const visit = { contentHash: row.page.contentHash, indexedUrl: url, validators: null, fetchedAt };
  if (isKept(previous) && previous.contentHash === row.page.contentHash) {
    report.unchanged++;
    store.recordVisit(url, { ...visit, outcome: 'unchanged' });
    return;
  }
  const isNew = !isKept(previous);
  report[isNew ? 'new' : 'changed']++;
  store.recordVisit(
    url,
    { ...visit, outcome: isNew ? 'new' : 'changed' },
    { upsert: { ...row.page, url, sourceId, fetchedAt } },
  );
}

/**
 * A row's URL: its file's, with a fragment naming its natural key (and its rank among rows that
 * share the key). It identifies the document; the API links a project to a page of its own.
 */
export function rowUrlOf(fileUrl: string, key: string, occurrence: number): string {
  return `${rowPrefixOf(fileUrl)}${contentHash(`${key}\u001e${occurrence}`)}`;
}

function rowPrefixOf(fileUrl: string): string {
  return `${fileUrl}#ligne-`;
}
