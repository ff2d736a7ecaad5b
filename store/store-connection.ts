import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './crawl-store-schema.ts';

/**
 * The crawl store's one SQLite connection, shared by its two parts (CrawlStore: runs and pages;
 * DocumentStore: the documents handed to the indexer), so that one transaction can span both.
 */
export class StoreConnection {
  // Preparing a statement costs more than running it: each SQL text is prepared once per store.
  private readonly statements = new Map<string, Database.Statement>();
  private transactionRunner?: Database.Transaction<(work: () => void) => void>;

  private constructor(private readonly db: Database.Database) {}

  static open(file: string): StoreConnection {
    mkdirSync(path.dirname(file), { recursive: true });
    // Another process's write transaction is waited for, not failed on (SQLITE_BUSY).
    const db = new Database(file, { timeout: 10_000 });
    migrate(db);
    return new StoreConnection(db);
  }

  statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Runs `work` in one transaction (a savepoint when nested); the wrapper is built once. */
  inTransaction(work: () => void): void {
    this.transactionRunner ??= this.db.transaction((inner: () => void) => inner());
    this.transactionRunner(work);
  }

  /**
   * Runs `work` in a transaction that takes SQLite's write lock at once (BEGIN IMMEDIATE), so that
   * what it reads cannot change before it writes, across processes.
   */
  immediateTransaction(work: () => void): void {
    this.commitGroup();
    this.db.transaction(work).immediate();
  }

  /**
   * Runs the crawl's hot writes (a queued URL, a visit) in a transaction shared by every write of
   * the same turn of the event loop, committed right after it. One commit per write was a third of
   * the crawler's CPU: each appends every touched B-tree page to the WAL. A crawl killed by SIGKILL
   * loses at most the visits of that last turn, which stay queued and are fetched again.
   */
  groupWrite(work: () => void): void {
    if (!this.db.inTransaction) {
      this.db.exec('BEGIN');
      setImmediate(() => this.commitGroup());
    }
    this.inTransaction(work);
  }

  private commitGroup(): void {
    if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
  }

  /**
   * A consistent copy of the database in `file`, taken with SQLite's online backup API while it is
   * in use (a file copy of a database in WAL mode may miss what the WAL holds).
   */
  async backupTo(file: string): Promise<void> {
    this.commitGroup();
    await this.db.backup(file);
  }

  close(): void {
    this.commitGroup();
    this.db.close();
  }
}
