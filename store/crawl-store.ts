import type Database from 'better-sqlite3';
import type { RawPage } from '../core/raw-page.ts';
import { AuditLog } from './audit-log.ts';
import { BestBetStore } from './best-bets.ts';
import { DocumentStore } from './document-store.ts';
import type { PageOutcome, PreviousVisit, QueuedUrl, Visit } from './page-state.ts';
import { QueryCountStore } from './query-counts.ts';
import { SourceHealthStore } from './source-health.ts';
import { StoreConnection } from './store-connection.ts';
import { acquireCrawlLease, type CrawlLease, releaseLeasesOfThisProcess } from './crawl-leases.ts';
import { inIndexSyncTurn } from './index-sync-turn.ts';
import { liveLeases } from './live-leases.ts';
import { acquireWriterLock, currentWriter, StoreBusyError, type WriterLockHolder } from './writer-lock.ts';

/** A URL's row in the store, as the URL inspector shows it. */
export interface PageState {
  url: string;
  sourceId: string;
  state: 'queued' | 'done';
  outcome: PageOutcome | null;
  httpStatus: number | null;
  fetchedAt: string | null;
  /** The URL of the document this page keeps in the index (canonical), when it keeps one. */
  indexedUrl: string | null;
  error: string | null;
}

const LIVE_OUTCOMES = "('new', 'changed', 'unchanged')";
/** Live ones, plus transient failures: a page that failed this time keeps its document. */
const KEPT_OUTCOMES = "('new', 'changed', 'unchanged', 'error', 'redirect-loop')";

/**
 * The crawl's durable state; see crawl-store-schema.ts for why it exists. This class holds the runs
 * and the state of each URL (queued, visited, what it was last time); `documents` holds what the
 * crawl hands to the indexer. Both share one SQLite connection, so a visit and its document are
 * written in one transaction.
 */
export class CrawlStore {
  /** What admins curate beside the crawl: see crawl-store-schema.ts. */
  readonly audit: AuditLog;
  readonly health: SourceHealthStore;
  readonly bestBets: BestBetStore;
  readonly queryCounts: QueryCountStore;
  /** The command holding the writer lock through this store object, if any. */
  private writing?: WriterLockHolder;

  private constructor(
    private readonly db: StoreConnection,
    readonly documents: DocumentStore,
  ) {
    this.audit = new AuditLog(db);
    this.health = new SourceHealthStore(db);
    this.bestBets = new BestBetStore(db);
    this.queryCounts = new QueryCountStore(db);
  }

  static open(file: string): CrawlStore {
    const db = StoreConnection.open(file);
    return new CrawlStore(db, new DocumentStore(db));
  }

  private statement(sql: string): Database.Statement {
    return this.db.statement(sql);
  }

  close(): void {
    this.db.close();
  }

  /** A consistent copy of the whole store in `file` (see StoreConnection.backupTo). */
  backupTo(file: string): Promise<void> {
    return this.db.backupTo(file);
  }

  /**
   * Takes the store's writer lock for `command` (`npm run crawl`...), or throws StoreBusyError
   * naming the process that holds it. Returns the release.
   */
  lockForWriting(command: string): () => void {
    // The lock row names a process, and a process may take it again (a crawl resumed in it): within
    // one process that serves several writers at once (the API's admin actions), this store object
    // is what tells one writer from the next.
    if (this.writing) throw new StoreBusyError(this.writing);
    const release = acquireWriterLock(this.db, command);
    const holder = currentWriter(this.db);
    this.writing = holder ?? { pid: process.pid, start: '', command, since: new Date().toISOString() };
    return () => {
      this.writing = undefined;
      release();
    };
  }

  /**
   * A crawl worker's hold on one source (crawl-leases.ts): several workers crawl different sources
   * at once; throws StoreBusyError while the one-writer lock is held or the source is being crawled.
   */
  leaseSource(sourceId: string, command: string): CrawlLease {
    return acquireCrawlLease(this.db, sourceId, command);
  }

  /** The sources crawl workers are crawling now (their live leases). */
  sourcesBeingCrawled(now = new Date()): Set<string> {
    return new Set(liveLeases(this.db, now).map((lease) => lease.sourceId));
  }

  /** Frees the leases this process holds, as it stops mid-crawl: the next worker need not wait them out. */
  releaseLeasesHeldHere(): void {
    releaseLeasesOfThisProcess(this.db);
  }

  /** Runs an index sync when no other worker's is running (index-sync-turn.ts). */
  inIndexSyncTurn<T>(command: string, sync: () => Promise<T>): Promise<T> {
    return inIndexSyncTurn(this.db, command, sync);
  }

  /** The process writing to the store now (a crawl, a rebuild, an admin action, a worker), if any. */
  writer(): WriterLockHolder | undefined {
    return this.writing ?? currentWriter(this.db);
  }

  /** What the store knows of a URL: its last visit, for "why is this URL missing?". */
  pageState(url: string): PageState | undefined {
    return this.statement(
      `SELECT url, source_id AS sourceId, state, outcome, http_status AS httpStatus,
           fetched_at AS fetchedAt, indexed_url AS indexedUrl, error FROM pages WHERE url = ?`,
    ).get(url) as PageState | undefined;
  }

  /** Resumes the unfinished run over the same sources (a crawl that was killed), else starts one. */
  beginRun(sourceIds: readonly string[], now: Date): { runId: number; resumed: boolean } {
    const key = JSON.stringify([...sourceIds].sort());
    const unfinished = this.statement(
      'SELECT id FROM runs WHERE finished_at IS NULL AND source_ids = ? ORDER BY id DESC LIMIT 1',
    ).get(key) as { id: number } | undefined;
    if (unfinished) return { runId: unfinished.id, resumed: true };
    const inserted = this.statement('INSERT INTO runs (source_ids, started_at) VALUES (?, ?)').run(
      key,
      now.toISOString(),
    );
    return { runId: Number(inserted.lastInsertRowid), resumed: false };
  }

  /**
   * Sources of this run whose last crawl stopped at its time budget continue that crawl: the pages
   * it visited or queued join this run, so they are not visited again and the rest is. Returns the
   * sources continued.
   */
  continueUnfinishedCycles(runId: number, sourceIds: readonly string[]): string[] {
    const continued: string[] = [];
    const cycle = this.statement('SELECT run_id FROM unfinished_cycles WHERE source_id = ?').pluck();
    const adopt = this.statement('UPDATE pages SET run_id = ? WHERE source_id = ? AND run_id = ?');
    const forget = this.statement('DELETE FROM unfinished_cycles WHERE source_id = ?');
    this.db.inTransaction(() => {
      for (const sourceId of sourceIds) {
        const previousRun = cycle.get(sourceId) as number | undefined;
        if (previousRun === undefined) continue;
        if (previousRun !== runId) adopt.run(runId, sourceId, previousRun);
        forget.run(sourceId);
        continued.push(sourceId);
      }
    });
    return continued;
  }

  /** The source's crawl stopped before the end (its time budget): the next run continues it. */
  stopCycle(sourceId: string, runId: number, now: Date): void {
    this.statement(
      `INSERT INTO unfinished_cycles (source_id, run_id, stopped_at) VALUES (?, ?, ?)
         ON CONFLICT (source_id) DO UPDATE SET run_id = excluded.run_id, stopped_at = excluded.stopped_at`,
    ).run(sourceId, runId, now.toISOString());
  }

  finishRun(runId: number, now: Date): void {
    this.statement('UPDATE runs SET finished_at = ? WHERE id = ?').run(now.toISOString(), runId);
  }

  /**
   * Crawls left half done, for the scheduler: per source, when the latest run that includes it and
   * never finished started (killed, or the machine stopped), and the sources whose crawl stopped at
   * its time budget. A running crawl's run is unfinished too: ask `writer()` first.
   */
  unfinishedCrawls(): { runs: Map<string, string>; cycles: Set<string> } {
    const runs = this.statement(
      `SELECT source.value AS sourceId, max(runs.started_at) AS startedAt
         FROM runs, json_each(runs.source_ids) AS source
         WHERE runs.finished_at IS NULL GROUP BY source.value`,
    ).all() as { sourceId: string; startedAt: string }[];
    const cycles = this.statement('SELECT source_id FROM unfinished_cycles').pluck().all() as string[];
    return { runs: new Map(runs.map((run) => [run.sourceId, run.startedAt])), cycles: new Set(cycles) };
  }

  /** Queues a URL for this run; false when this run already queued or visited it. */
  enqueue(runId: number, entry: QueuedUrl): boolean {
    let changes = 0;
    this.db.groupWrite(() => {
      changes = this.statement(
        `INSERT INTO pages (url, source_id, run_id, state, depth, sitemap_lastmod)
         VALUES (@url, @sourceId, @runId, 'queued', @depth, @sitemapLastmod)
         ON CONFLICT (url) DO UPDATE SET run_id = @runId, state = 'queued', source_id = @sourceId,
           depth = @depth, sitemap_lastmod = @sitemapLastmod
         WHERE pages.run_id <> @runId`,
      ).run({ ...entry, runId }).changes;
    });
    return changes > 0;
  }

  /** The sitemap lastmod of a URL this run queued before its sitemap was read. */
  noteSitemapLastmod(runId: number, url: string, lastmod: string): void {
    this.db.groupWrite(() => {
      this.statement(
        "UPDATE pages SET sitemap_lastmod = ? WHERE url = ? AND run_id = ? AND state = 'queued'",
      ).run(lastmod, url, runId);
    });
  }

  queued(runId: number): QueuedUrl[] {
    return this.statement(
      `SELECT url, source_id AS sourceId, depth, sitemap_lastmod AS sitemapLastmod
         FROM pages WHERE run_id = ? AND state = 'queued' ORDER BY rowid`,
    ).all(runId) as QueuedUrl[];
  }

  /** Every URL this run queued or visited: the crawl's dedupe set, rebuilt when a run resumes. */
  urlsOfRun(runId: number): string[] {
    return (this.statement('SELECT url FROM pages WHERE run_id = ?').pluck().all(runId) as string[]) ?? [];
  }

  /** URLs still to visit in the run, per source: for the progress line. */
  queuedCounts(runId: number): Map<string, number> {
    const rows = this.statement(
      "SELECT source_id AS sourceId, count(*) AS count FROM pages WHERE run_id = ? AND state = 'queued' GROUP BY source_id",
    ).all(runId) as { sourceId: string; count: number }[];
    return new Map(rows.map((row) => [row.sourceId, row.count]));
  }

  /** URLs queued or visited by the run, per source. */
  countsOfRun(runId: number): Map<string, number> {
    const rows = this.statement(
      'SELECT source_id AS sourceId, count(*) AS count FROM pages WHERE run_id = ? GROUP BY source_id',
    ).all(runId) as { sourceId: string; count: number }[];
    return new Map(rows.map((row) => [row.sourceId, row.count]));
  }

  previousVisit(url: string): PreviousVisit | undefined {
    const row = this.statement(
      `SELECT etag, last_modified AS lastModified, validators_url AS validatorsUrl,
           checked_lastmod AS checkedLastmod, content_hash AS contentHash, outcome,
           indexed_url AS indexedUrl, fetched_at AS fetchedAt, links, error FROM pages WHERE url = ?`,
    ).get(url) as (Omit<PreviousVisit, 'links'> & { links: string | null }) | undefined;
    return row && { ...row, links: row.links === null ? null : (JSON.parse(row.links) as string[]) };
  }

  /**
   * Another URL of the source already indexed this run with the same content, if any. Asked for
   * every page fetched: without statistics SQLite picked the (source, run) index, which reads every
   * page of the source visited so far, so a crawl slowed as it went (a third of the crawl thread's
   * CPU at 5,000 pages, quadratic beyond); the content hash finds the few candidates at once.
   */
  sameContentIn(runId: number, sourceId: string, contentHash: string, exceptUrl: string): string | undefined {
    return this.statement(
      `SELECT url FROM pages INDEXED BY pages_by_hash
         WHERE source_id = ? AND content_hash = ? AND run_id = ? AND url <> ?
           AND state = 'done' AND outcome IN ${LIVE_OUTCOMES} LIMIT 1`,
    )
      .pluck()
      .get(sourceId, contentHash, runId, exceptUrl) as string | undefined;
  }

  /**
   * Records what a visit found and, in the same transaction, the document it adds or replaces
   * in the index (deletions are decided at the end of a run). A crawl killed right after loses nothing.
   */
  recordVisit(url: string, visit: Visit, change?: { upsert: RawPage }): void {
    this.db.groupWrite(() => {
      this.statement(
        `UPDATE pages SET state = 'done', outcome = @outcome, http_status = @httpStatus,
             etag = CASE WHEN @setValidators THEN @etag ELSE etag END,
             last_modified = CASE WHEN @setValidators THEN @lastModified ELSE last_modified END,
             validators_url = CASE WHEN @setValidators THEN @validatorsUrl ELSE validators_url END,
             checked_lastmod = CASE WHEN @setLastmod THEN @checkedLastmod ELSE checked_lastmod END,
             content_hash = coalesce(@contentHash, content_hash), indexed_url = @indexedUrl,
             links = coalesce(@links, links), error = @error, fetched_at = @fetchedAt
           WHERE url = @url`,
      ).run({
        url,
        outcome: visit.outcome,
        httpStatus: visit.httpStatus ?? null,
        setValidators: visit.validators === undefined ? 0 : 1,
        etag: visit.validators?.etag ?? null,
        lastModified: visit.validators?.lastModified ?? null,
        validatorsUrl: visit.validators?.url ?? null,
        setLastmod: visit.checkedLastmod === undefined ? 0 : 1,
        checkedLastmod: visit.checkedLastmod ?? null,
        contentHash: visit.contentHash ?? null,
        indexedUrl: visit.indexedUrl ?? null,
        links: visit.links ? JSON.stringify(visit.links) : null,
        error: visit.error ?? null,
        fetchedAt: visit.fetchedAt,
      });
      if (change) this.documents.upsertDocument(change.upsert, visit.fetchedAt);
    });
  }

  /**
   * A dataset file answered 304: every row it had is kept by this run, as if each had been read
   * again unchanged. Returns how many.
   */
  keepDatasetRows(runId: number, sourceId: string, rowUrlPrefix: string): number {
    let kept = 0;
    this.db.groupWrite(() => {
      kept = this.statement(
        `UPDATE pages SET run_id = @runId, state = 'done', outcome = 'unchanged'
           WHERE source_id = @sourceId AND substr(url, 1, length(@prefix)) = @prefix
             AND outcome IN ${KEPT_OUTCOMES} AND indexed_url IS NOT NULL`,
      ).run({ runId, sourceId, prefix: rowUrlPrefix }).changes;
    });
    return kept;
  }

  /** Documents of a source that this run did not keep (not reached, gone, noindex...). */
  documentsNotKept(runId: number, sourceId: string): string[] {
    return this.statement(
      `SELECT url FROM documents WHERE source_id = ? AND deleted = 0 AND url NOT IN (
           SELECT indexed_url FROM pages WHERE run_id = ? AND state = 'done'
             AND outcome IN ${KEPT_OUTCOMES} AND indexed_url IS NOT NULL)`,
    )
      .pluck()
      .all(sourceId, runId) as string[];
  }
}
