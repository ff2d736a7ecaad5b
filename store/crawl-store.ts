import type Database from 'better-sqlite3';
import type { RawPage } from '../core/raw-page.ts';
import { DocumentStore } from './document-store.ts';
import type { PreviousVisit, QueuedUrl, Visit } from './page-state.ts';
import { StoreConnection } from './store-connection.ts';

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
  private constructor(
    private readonly db: StoreConnection,
    readonly documents: DocumentStore,
  ) {}

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

  finishRun(runId: number, now: Date): void {
    this.statement('UPDATE runs SET finished_at = ? WHERE id = ?').run(now.toISOString(), runId);
  }

  /** Queues a URL for this run; false when this run already queued or visited it. */
  enqueue(runId: number, entry: QueuedUrl): boolean {
    let changes = 0;
    this.db.groupWrite(() => {
      changes = this.statement(
        `INSERT INTO pages (url, source_id, run_id, state, depth, sitemap_lastmod)
         VALUES (@url, @sourceId, @runId, 'queued', @depth, @sitemapLastmod)
         ON CONFLICT (url) DO UPDATE SET run_id = @runId, state = 'queued', source_id = @sourceId,
           depth = @depth, sitemap_lastmod = coalesce(@sitemapLastmod, sitemap_lastmod)
         WHERE pages.run_id <> @runId`,
      ).run({ ...entry, runId }).changes;
    });
    return changes > 0;
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
      `SELECT etag, last_modified AS lastModified, content_hash AS contentHash, outcome,
           indexed_url AS indexedUrl, fetched_at AS fetchedAt, links FROM pages WHERE url = ?`,
    ).get(url) as (Omit<PreviousVisit, 'links'> & { links: string | null }) | undefined;
    return row && { ...row, links: row.links === null ? null : (JSON.parse(row.links) as string[]) };
  }

  /** Another URL of the source already indexed this run with the same content, if any. */
  sameContentIn(runId: number, sourceId: string, contentHash: string, exceptUrl: string): string | undefined {
    return this.statement(
      `SELECT url FROM pages WHERE source_id = ? AND content_hash = ? AND run_id = ? AND url <> ?
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
             etag = coalesce(@etag, etag), last_modified = coalesce(@lastModified, last_modified),
             content_hash = coalesce(@contentHash, content_hash), indexed_url = @indexedUrl,
             links = coalesce(@links, links), error = @error, fetched_at = @fetchedAt
           WHERE url = @url`,
      ).run({
        url,
        outcome: visit.outcome,
        httpStatus: visit.httpStatus ?? null,
        etag: visit.etag ?? null,
        lastModified: visit.lastModified ?? null,
        contentHash: visit.contentHash ?? null,
        indexedUrl: visit.indexedUrl ?? null,
        links: visit.links ? JSON.stringify(visit.links) : null,
        error: visit.error ?? null,
        fetchedAt: visit.fetchedAt,
      });
      if (change) this.documents.upsertDocument(change.upsert, visit.fetchedAt);
    });
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
