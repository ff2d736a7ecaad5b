import type Database from 'better-sqlite3';
import { type RawPage, RawPageSchema } from '../core/raw-page.ts';
import type { StoreConnection } from './store-connection.ts';

export interface SourceDocumentCounts {
  live: number;
  pending: number;
  quarantined: number;
  heldDeletions: number;
}

export interface DocumentState {
  deleted: boolean;
  /** Not yet confirmed by Meilisearch. */
  pending: boolean;
  updatedAt: string;
  /** Meilisearch refused this version: why. */
  quarantineError: string | null;
}

/** A version of a document Meilisearch refused, set aside until the document changes. */
export interface QuarantinedDocument {
  url: string;
  sourceId: string;
  /** The version refused: a newer one is sent again. */
  updatedAt: string;
  error: string;
  taskUid: number | null;
  quarantinedAt: string;
}

export interface PendingDocument {
  url: string;
  sourceId: string;
  /** null when the document is to be deleted from the index. */
  page: RawPage | null;
  /** When this version of the document was written: it identifies the version being indexed. */
  updatedAt: string;
}

/**
 * The documents the crawl hands to the indexer, and what the indexer confirmed: a document is
 * pending until Meilisearch says it has it. Also the deletions held for an admin, and the indexer's
 * small persistent settings. Part of the crawl store: reach it as `CrawlStore.documents`.
 */
export class DocumentStore {
  constructor(private readonly db: StoreConnection) {}

  private statement(sql: string): Database.Statement {
    return this.db.statement(sql);
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
    this.db.inTransaction(() => {
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
    this.db.inTransaction(() => {
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

  /**
   * Every document of a source, for a source removed from (or disabled in) sources.yaml, or purged
   * by an admin. What the crawl knew of its pages goes too: a page remembered as unchanged would
   * answer 304 at the next crawl and never bring its document back, so a source enabled again, or
   * crawled after a purge, starts afresh.
   */
  retireSource(sourceId: string, now: string): number {
    const urls = this.statement('SELECT url FROM documents WHERE source_id = ? AND deleted = 0')
      .pluck()
      .all(sourceId) as string[];
    this.db.inTransaction(() => {
      this.removeDocuments(urls, now);
      this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId);
      this.statement('DELETE FROM pages WHERE source_id = ?').run(sourceId);
      this.statement('DELETE FROM unfinished_cycles WHERE source_id = ?').run(sourceId);
    });
    return urls.length;
  }

  /** An admin looked at the held deletions and keeps the documents: the next run decides anew. */
  dropHeldDeletions(sourceId: string): number {
    return this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId).changes;
  }

  /** Per source: documents in (or on their way to) the index, pending, quarantined, deletions held. */
  countsBySource(): Map<string, SourceDocumentCounts> {
    const rows = this.statement(
      `SELECT source_id AS sourceId, sum(deleted = 0) AS live, sum(pending) AS pending, 0 AS quarantined,
           0 AS heldDeletions FROM documents GROUP BY source_id
       UNION ALL SELECT source_id, 0, 0, count(*), 0 FROM quarantine q
         WHERE EXISTS (SELECT 1 FROM documents d WHERE d.url = q.url AND d.updated_at = q.updated_at
           AND d.pending = 1) GROUP BY source_id
       UNION ALL SELECT source_id, 0, 0, 0, count(*) FROM held_deletions GROUP BY source_id`,
    ).all() as (SourceDocumentCounts & { sourceId: string })[];
    const counts = new Map<string, SourceDocumentCounts>();
    for (const { sourceId, ...row } of rows) {
      const sum = counts.get(sourceId) ?? { live: 0, pending: 0, quarantined: 0, heldDeletions: 0 };
      counts.set(sourceId, {
        live: sum.live + row.live,
        pending: sum.pending + row.pending,
        quarantined: sum.quarantined + row.quarantined,
        heldDeletions: sum.heldDeletions + row.heldDeletions,
      });
    }
    return counts;
  }

  /** Where a document stands on its way to the index; undefined when the store never had it. */
  documentState(url: string): DocumentState | undefined {
    const row = this.statement(
      `SELECT d.deleted, d.pending, d.updated_at AS updatedAt, q.error AS quarantineError FROM documents d
         LEFT JOIN quarantine q ON q.url = d.url AND q.updated_at = d.updated_at WHERE d.url = ?`,
    ).get(url) as
      { deleted: number; pending: number; updatedAt: string; quarantineError: string | null } | undefined;
    return (
      row && {
        deleted: row.deleted === 1,
        pending: row.pending === 1,
        updatedAt: row.updatedAt,
        quarantineError: row.quarantineError,
      }
    );
  }

  removeDocuments(urls: readonly string[], now: string): void {
    const remove = this.statement(
      'UPDATE documents SET deleted = 1, pending = 1, page = NULL, updated_at = ? WHERE url = ? AND deleted = 0',
    );
    this.db.inTransaction(() => urls.forEach((url) => remove.run(now, url)));
  }

  /**
   * Adds or replaces a crawled document, pending for the indexer. Only CrawlStore.recordVisit calls
   * it, inside the transaction that records the visit: the two are written together or not at all.
   */
  upsertDocument(page: RawPage, now: string): void {
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

  /**
   * Changes not yet confirmed by Meilisearch, oldest first; a version in quarantine is left out (a
   * newer version of the same document is not).
   */
  pendingDocuments(limit: number, after?: Pick<PendingDocument, 'updatedAt' | 'url'>): PendingDocument[] {
    // Keyset paging: a sync reads the next batches while earlier ones are still being indexed.
    const rows = this.statement(
      // Named: on a store without statistics the planner prefers the index on `pending` alone, and
      // then sorts every pending row for each batch (crawl-store-schema.ts, version 8).
      `SELECT url, source_id AS sourceId, page, deleted, updated_at AS updatedAt
         FROM documents d INDEXED BY documents_pending_order
         WHERE pending = 1 AND (updated_at, url) > (?, ?) AND NOT EXISTS (
           SELECT 1 FROM quarantine q WHERE q.url = d.url AND q.updated_at = d.updated_at)
         ORDER BY updated_at, url LIMIT ?`,
    ).all(after?.updatedAt ?? '', after?.url ?? '', limit) as PendingRow[];
    return rows.map(toPendingDocument);
  }

  /** The pending versions of these documents, for sending them again one part at a time. */
  pendingVersions(versions: readonly Pick<PendingDocument, 'url' | 'updatedAt'>[]): PendingDocument[] {
    const read = this.statement(
      `SELECT url, source_id AS sourceId, page, deleted, updated_at AS updatedAt FROM documents
         WHERE url = ? AND updated_at = ? AND pending = 1`,
    );
    return versions.flatMap(({ url, updatedAt }) => {
      const row = read.get(url, updatedAt) as PendingRow | undefined;
      return row ? [toPendingDocument(row)] : [];
    });
  }

  /** Sets this version of a document aside: no sync sends it again until the document changes. */
  quarantine(document: Omit<QuarantinedDocument, 'quarantinedAt'>, now: string): void {
    this.statement(
      `INSERT INTO quarantine (url, source_id, updated_at, error, task_uid, quarantined_at)
         VALUES (@url, @sourceId, @updatedAt, @error, @taskUid, @now)
         ON CONFLICT (url) DO UPDATE SET source_id = @sourceId, updated_at = @updatedAt,
           error = @error, task_uid = @taskUid, quarantined_at = @now`,
    ).run({ ...document, now });
  }

  /** Documents whose current version is in quarantine, newest first. */
  quarantined(): QuarantinedDocument[] {
    return this.statement(
      `SELECT q.url, q.source_id AS sourceId, q.updated_at AS updatedAt, q.error, q.task_uid AS taskUid,
           q.quarantined_at AS quarantinedAt
         FROM quarantine q JOIN documents d ON d.url = q.url AND d.updated_at = q.updated_at
         WHERE d.pending = 1 ORDER BY q.quarantined_at DESC, q.url`,
    ).all() as QuarantinedDocument[];
  }

  /**
   * Called only after Meilisearch reported the task succeeded. A document changed again since it
   * was read (a crawl running meanwhile) stays pending: its new version is not in the index yet.
   */
  markIndexed(documents: readonly Pick<PendingDocument, 'url' | 'updatedAt'>[]): void {
    const mark = this.statement('UPDATE documents SET pending = 0 WHERE url = ? AND updated_at = ?');
    const purge = this.statement('DELETE FROM documents WHERE url = ? AND updated_at = ? AND deleted = 1');
    const release = this.statement('DELETE FROM quarantine WHERE url = ?');
    this.db.inTransaction(() =>
      documents.forEach(({ url, updatedAt }) => {
        if (mark.run(url, updatedAt).changes > 0) release.run(url);
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

  /**
   * After a full rebuild was swapped in: the index holds exactly the live documents, but for the
   * quarantined versions and the documents of `waitingSources` (not in the rebuild's sources file),
   * which stay pending.
   */
  markAllIndexed(waitingSources: readonly string[]): void {
    const waiting = JSON.stringify(waitingSources);
    this.db.inTransaction(() => {
      this.statement('DELETE FROM documents WHERE deleted = 1').run();
      // Left out of the rebuild: the store says so, and a sync with their source sends them again.
      this.statement(
        'UPDATE documents SET pending = 1 WHERE source_id IN (SELECT value FROM json_each(?))',
      ).run(waiting);
      this.statement(
        `UPDATE documents SET pending = 0 WHERE pending = 1
           AND source_id NOT IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.url = documents.url
             AND q.updated_at = documents.updated_at)`,
      ).run(waiting);
    });
  }

  /** Whether this version of a document is in quarantine. */
  isQuarantined(version: Pick<PendingDocument, 'url' | 'updatedAt'>): boolean {
    return (
      this.statement('SELECT 1 FROM quarantine WHERE url = ? AND updated_at = ?').get(
        version.url,
        version.updatedAt,
      ) !== undefined
    );
  }

  countPending(): number {
    return this.statement('SELECT count(*) FROM documents WHERE pending = 1').pluck().get() as number;
  }

  /**
   * What waits on its way to the index, over all sources: the API's /metrics reads it at each
   * scrape, so it is three small counts (documents_pending is indexed; the other two tables hold
   * what needs an admin, few rows), not countsBySource's scan of every document.
   */
  backlog(): { pending: number; heldDeletions: number; quarantined: number } {
    const count = (sql: string) => this.statement(sql).pluck().get() as number;
    return {
      pending: this.countPending(),
      heldDeletions: count('SELECT count(*) FROM held_deletions'),
      // Only the quarantined versions still current: a document that changed since is sent again.
      quarantined: count(
        `SELECT count(*) FROM quarantine q WHERE EXISTS (SELECT 1 FROM documents d
           WHERE d.url = q.url AND d.updated_at = q.updated_at AND d.pending = 1)`,
      ),
    };
  }
}

interface PendingRow {
  url: string;
  sourceId: string;
  page: string | null;
  deleted: number;
  updatedAt: string;
}

function toPendingDocument(row: PendingRow): PendingDocument {
  return {
    url: row.url,
    sourceId: row.sourceId,
    updatedAt: row.updatedAt,
    // Parsed on the way out too: a row written by an older version fails loudly, not in Meilisearch.
    page: row.deleted || row.page === null ? null : RawPageSchema.parse(JSON.parse(row.page)),
  };
}
