import type Database from 'better-sqlite3';
import { type RawPage, RawPageSchema } from '../core/raw-page.ts';
import type { StoreConnection } from './store-connection.ts';

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

  /** Every document of a source, for a source removed from (or disabled in) sources.yaml. */
  retireSource(sourceId: string, now: string): number {
    const urls = this.statement('SELECT url FROM documents WHERE source_id = ? AND deleted = 0')
      .pluck()
      .all(sourceId) as string[];
    this.db.inTransaction(() => {
      this.removeDocuments(urls, now);
      this.statement('DELETE FROM held_deletions WHERE source_id = ?').run(sourceId);
    });
    return urls.length;
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
    this.db.inTransaction(() =>
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
    this.db.inTransaction(() => {
      this.statement('DELETE FROM documents WHERE deleted = 1').run();
      this.statement('UPDATE documents SET pending = 0 WHERE pending = 1').run();
    });
  }

  countPending(): number {
    return this.statement('SELECT count(*) FROM documents WHERE pending = 1').pluck().get() as number;
  }
}
