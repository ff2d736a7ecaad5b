import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { currentProcess, isRunning, type ProcessIdentity } from '../core/process-identity.ts';

/** The Meilisearch running on a data directory, as its registry records it. */
export interface RunningInstance extends ProcessIdentity {
  port: number;
}

/**
 * Who uses the embedded Meilisearch of a data directory, so that processes sharing a DATA_DIR
 * share one Meilisearch (`npm start`, then `npm run crawl` beside it) and the last one out stops it.
 * A small SQLite file next to the database: its write lock (BEGIN IMMEDIATE, released by the OS if
 * the holder dies) makes "start one or use the running one" and "am I the last user" atomic across
 * processes. Each process's use is a lease; leases of processes that died no longer count, and a
 * Meilisearch no live lease uses is an orphan (its owner was killed).
 */
export class InstanceRegistry {
  private constructor(private readonly db: Database.Database) {}

  static open(meiliDir: string): InstanceRegistry {
    // Another process may hold the lock while it starts Meilisearch (up to its start-up timeout).
    const db = new Database(path.join(meiliDir, 'instances.sqlite'), { timeout: 60_000 });
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS instance (
        id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, start TEXT NOT NULL, port INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS leases (id TEXT PRIMARY KEY, pid INTEGER NOT NULL, start TEXT NOT NULL)`);
    return new InstanceRegistry(db);
  }

  /** Runs `work` holding the registry's lock: no other process starts, joins or stops meanwhile. */
  async locked<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  instance(): RunningInstance | undefined {
    return this.db.prepare('SELECT pid, start, port FROM instance WHERE id = 1').get() as
      RunningInstance | undefined;
  }

  /** A new Meilisearch took over: earlier leases were on one that is gone. */
  recordInstance(instance: RunningInstance): void {
    this.db.prepare('DELETE FROM leases').run();
    this.db
      .prepare('INSERT OR REPLACE INTO instance (id, pid, start, port) VALUES (1, ?, ?, ?)')
      .run(instance.pid, instance.start, instance.port);
  }

  forgetInstance(): void {
    this.db.prepare('DELETE FROM instance').run();
    this.db.prepare('DELETE FROM leases').run();
  }

  /** This process uses the instance; returns the lease's id. */
  lease(): string {
    const id = randomUUID();
    const me = currentProcess();
    this.db.prepare('INSERT INTO leases (id, pid, start) VALUES (?, ?, ?)').run(id, me.pid, me.start);
    return id;
  }

  /** Ends a lease (a no-op when a newer instance voided it); returns the live leases left. */
  release(id: string): number {
    this.db.prepare('DELETE FROM leases WHERE id = ?').run(id);
    return this.liveLeases();
  }

  /** Leases held by processes still running; those of dead processes are dropped. */
  liveLeases(): number {
    const leases = this.db.prepare('SELECT id, pid, start FROM leases').all() as (ProcessIdentity & {
      id: string;
    })[];
    const dead = leases.filter((lease) => !isRunning(lease));
    for (const lease of dead) this.db.prepare('DELETE FROM leases WHERE id = ?').run(lease.id);
    return leases.length - dead.length;
  }

  close(): void {
    this.db.close();
  }
}
