import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type RawPage, RawPageSchema } from '../../core/raw-page.ts';
import { migrate } from './crawl-store-schema.ts';

/** What became of a visited URL in a run. The first three keep (or put) a document in the index. */
export const PAGE_OUTCOMES = [
  'new',
  'changed',
  'unchanged',
  'gone',
  'noindex',
  'duplicate',
  'skipped-type',
  'out-of-scope',
  'robots',
  'redirect-loop',
  'error',
] as const;
export type PageOutcome = (typeof PAGE_OUTCOMES)[number];
const LIVE_OUTCOMES = "('new', 'changed', 'unchanged')";
/** Live ones, plus transient failures: a page that failed this time keeps its document. */
const KEPT_OUTCOMES = "('new', 'changed', 'unchanged', 'error', 'redirect-loop')";

export interface PreviousVisit {
  etag: string | null;
  lastModified: string | null;
  contentHash: string | null;
  outcome: PageOutcome | null;
  indexedUrl: string | null;
  fetchedAt: string | null;
  /** The links the page had when last fetched (absolute URLs); null if recorded before links were. */
  links: string[] | null;
}

export interface Visit {
  outcome: PageOutcome;
  httpStatus?: number | null;
  etag?: string | null;
  lastModified?: string | null;
  contentHash?: string | null;
  /** The URL of the document this visit keeps in the index (canonical), when it keeps one. */
  indexedUrl?: string | null;
  /** The page's links to follow, remembered for a next visit that gets a 304; kept when absent. */
  links?: readonly string[] | null;
  error?: string | null;
  fetchedAt: string;
}

export interface QueuedUrl {
  url: string;
  sourceId: string;
  depth: number;
  sitemapLastmod: string | null;
}

export interface PendingDocument {
  url: string;
  sourceId: string;
  /** null when the document is to be deleted from the index. */
  page: RawPage | null;
  /** When this version of the document was written: it identifies the version being indexed. */
  updatedAt: string;
}

/** The crawl's durable state; see crawl-store-schema.ts for why it exists. */
export class CrawlStore {
  // Preparing a statement costs more than running it: each SQL text is prepared once per store.
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }
  private transactionRunner?: Database.Transaction<(work: () => void) => void>;

  /** Runs `work` in one transaction (a savepoint when nested); the wrapper is built once. */
  private inTransaction(work: () => void): void {
    this.transactionRunner ??= this.db.transaction((inner: () => void) => inner());
    this.transactionRunner(work);
  }

  /**
   * Runs the crawl's hot writes (a queued URL, a visit) in a transaction shared by every write of
   * the same turn of the event loop, committed right after it. One commit per write was a third of
   * the crawler's CPU: each appends every touched B-tree page to the WAL. A crawl killed by SIGKILL
   * loses at most the visits of that last turn, which stay queued and are fetched again.
   */
  private groupWrite(work: () => void): void {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      setImmediate(() => this.commitGroup());
    }
    this.inTransaction(work);
  }

  private commitGroup(): void {
    if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
  }

  static open(file: string): CrawlStore {
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    migrate(db);
    return new CrawlStore(db);
  }

  close(): void {
    this.commitGroup();
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
    this.groupWrite(() => {
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
    this.groupWrite(() => {
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
      if (change) this.upsertDocument(change.upsert, visit.fetchedAt);
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

  /** Documents of a source that are (or are about to be) in the index. */
  liveDocumentCount(sourceId: string): number {
    return this.statement('SELECT count(*) FROM documents WHERE source_id = ? AND deleted = 0')
      .pluck()
      .get(sourceId) as number;
  }

  /** Replaces the source's held deletions with these (the newest run knows best). */
  holdDeletions(sourceId: string, runId: number, urls: readonly string[], now: string): void {
    const hold = this.statement(
      'INSERT INTO held_deletions (source_id, url, run_id, held_at) VALUES (?, ?, ?, ?)',
    );
    this.inTransaction(() => {
      this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId);
      for (const url of urls) hold.run(sourceId, url, runId, now);
    });
  }

  heldDeletions(sourceId: string): string[] {
    return this.statement('SELECT url FROM held_deletions WHERE source_id = ? ORDER BY url')
      .pluck()
      .all(sourceId) as string[];
  }

  /** An admin confirmed: the held documents leave the index at the next sync. */
  confirmHeldDeletions(sourceId: string, now: string): number {
    const urls = this.heldDeletions(sourceId);
    this.inTransaction(() => {
      this.removeDocuments(urls, now);
      this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId);
    });
    return urls.length;
  }

  /** A small persistent setting of the indexer, e.g. when freshness was last refreshed. */
  meta(key: string): string | undefined {
    return this.statement('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.statement(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  /** Sources that have documents in the store. */
  documentSourceIds(): string[] {
    return this.statement('SELECT DISTINCT source_id FROM documents WHERE deleted = 0')
      .pluck()
      .all() as string[];
  }

  /** Every document of a source, for a source removed from (or disabled in) sources.yaml. */
  retireSource(sourceId: string, now: string): number {
    const urls = this.statement('SELECT url FROM documents WHERE source_id = ? AND deleted = 0')
      .pluck()
      .all(sourceId) as string[];
    this.inTransaction(() => {
      this.removeDocuments(urls, now);
      this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId);
    });
    return urls.length;
  }

  removeDocuments(urls: readonly string[], now: string): void {
    const remove = this.statement(
      'UPDATE documents SET deleted = 1, pending = 1, page = NULL, updated_at = ? WHERE url = ? AND deleted = 0',
    );
    this.inTransaction(() => urls.forEach((url) => remove.run(now, url)));
  }

  private upsertDocument(page: RawPage, now: string): void {
    this.statement(
      `INSERT INTO documents (url, source_id, page, content_hash, deleted, pending, updated_at)
         VALUES (@url, @sourceId, @page, @contentHash, 0, 1, @now)
         ON CONFLICT (url) DO UPDATE SET source_id = @sourceId, page = @page,
           content_hash = @contentHash, deleted = 0, pending = 1, updated_at = @now`,
    ).run({
      url: page.url,
      sourceId: page.sourceId,
      page: JSON.stringify(page),
      contentHash: page.contentHash,
      now,
    });
  }

  /** Changes not yet confirmed by Meilisearch, oldest first. */
  pendingDocuments(limit: number, after?: Pick<PendingDocument, 'updatedAt' | 'url'>): PendingDocument[] {
    // Keyset paging: a sync reads the next batches while earlier ones are still being indexed.
    const rows = this.statement(
      `SELECT url, source_id AS sourceId, page, deleted, updated_at AS updatedAt FROM documents
         WHERE pending = 1 AND (updated_at, url) > (?, ?) ORDER BY updated_at, url LIMIT ?`,
    ).all(after?.updatedAt ?? '', after?.url ?? '', limit) as {
      url: string;
      sourceId: string;
      page: string | null;
      deleted: number;
      updatedAt: string;
    }[];
    return rows.map((row) => ({
      url: row.url,
      sourceId: row.sourceId,
      updatedAt: row.updatedAt,
      // Parsed on the way out too: a row written by an older version fails loudly, not in Meilisearch.
      page: row.deleted || row.page === null ? null : RawPageSchema.parse(JSON.parse(row.page)),
    }));
  }

  /**
   * Called only after Meilisearch reported the task succeeded. A document changed again since it
   * was read (a crawl running meanwhile) stays pending: its new version is not in the index yet.
   */
  markIndexed(documents: readonly Pick<PendingDocument, 'url' | 'updatedAt'>[]): void {
    const mark = this.statement('UPDATE documents SET pending = 0 WHERE url = ? AND updated_at = ?');
    const purge = this.statement('DELETE FROM documents WHERE url = ? AND updated_at = ? AND deleted = 1');
    this.inTransaction(() =>
      documents.forEach(({ url, updatedAt }) => {
        mark.run(url, updatedAt);
        purge.run(url, updatedAt);
      }),
    );
  }

  /** Every document that should be in the index, in pages of `limit`, after the URL `afterUrl`. */
  liveDocuments(afterUrl: string, limit: number): PendingDocument[] {
    const rows = this.statement(
      `SELECT url, source_id AS sourceId, page, updated_at AS updatedAt FROM documents
         WHERE deleted = 0 AND url > ? ORDER BY url LIMIT ?`,
    ).all(afterUrl, limit) as { url: string; sourceId: string; page: string; updatedAt: string }[];
    return rows.map((row) => ({ ...row, page: RawPageSchema.parse(JSON.parse(row.page)) }));
  }

  /** After a full rebuild was swapped in: the index holds exactly the live documents. */
  markAllIndexed(): void {
    this.inTransaction(() => {
      this.statement('DELETE FROM documents WHERE deleted = 1').run();
      this.statement('UPDATE documents SET pending = 0 WHERE pending = 1').run();
    });
  }

  countPending(): number {
    return this.statement('SELECT count(*) FROM documents WHERE pending = 1').pluck().get() as number;
  }
}
