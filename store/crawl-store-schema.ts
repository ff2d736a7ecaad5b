import type Database from 'better-sqlite3';

/**
 * The crawl's durable state, in one SQLite file under DATA_DIR: what each URL was last time (for
 * conditional requests and change detection), what the current run still has to visit (so a crawl
 * killed with SIGKILL resumes), and the documents handed to the indexer (so indexing can be
 * replayed without re-crawling, and a document is marked indexed only once Meilisearch says so).
 */
const SCHEMA_VERSION = 9;

export function migrate(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a killed process loses no committed transaction; only a power cut may lose the last.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version >= SCHEMA_VERSION) return;
  // One transaction: a process killed mid-migration leaves the file as it was, not half migrated.
  db.transaction(() => {
    if (version < 1) createVersion1(db);
    // The links a page had, followed again when it answers 304 or the sitemap says it is unchanged:
    // without them the pages only it links to would not be reached, and so deleted.
    if (version < 2) addColumn(db, 'pages', 'links TEXT');
    // Deletions a run did not apply because they looked like a site failure, until an admin confirms.
    if (version < 3) {
      db.exec(`CREATE TABLE IF NOT EXISTS held_deletions (
        source_id TEXT NOT NULL, url TEXT NOT NULL, run_id INTEGER NOT NULL, held_at TEXT NOT NULL,
        PRIMARY KEY (source_id, url))`);
      db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    }
    // Versions of documents Meilisearch refused (a document it cannot take, an embedder error on its
    // text): set aside with the error, so that one bad document no longer stops every sync.
    if (version < 4) {
      db.exec(`CREATE TABLE IF NOT EXISTS quarantine (
        url TEXT PRIMARY KEY, source_id TEXT NOT NULL, updated_at TEXT NOT NULL, error TEXT NOT NULL,
        task_uid INTEGER, quarantined_at TEXT NOT NULL)`);
    }
    if (version < 5) {
      // The sitemap lastmod current when the page was last requested: a different one means fetch
      // again, whatever the dates say (sites backdate lastmod).
      addColumn(db, 'pages', 'checked_lastmod TEXT');
      // The URL whose answer gave the ETag/Last-Modified: after a redirect, the hop they belong to.
      addColumn(db, 'pages', 'validators_url TEXT');
      db.exec(
        'UPDATE pages SET validators_url = coalesce(indexed_url, url) WHERE etag IS NOT NULL OR last_modified IS NOT NULL',
      );
      // A source whose crawl stopped at its time budget: the next run continues that run's cycle.
      db.exec(`CREATE TABLE IF NOT EXISTS unfinished_cycles (
        source_id TEXT PRIMARY KEY, run_id INTEGER NOT NULL, stopped_at TEXT NOT NULL)`);
      // The one process allowed to write (a crawl, a rebuild, confirmed deletions): see writer-lock.ts.
      db.exec(`CREATE TABLE IF NOT EXISTS writer_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, process_start TEXT NOT NULL,
        command TEXT NOT NULL, since TEXT NOT NULL)`);
    }
    if (version < 6) createCurationTables(db);
    // The scheduler asks every minute which runs never finished (a crawl killed): a store keeps a run
    // per crawl, tens of thousands a day, and only the few unfinished ones are in this index.
    if (version < 7) {
      db.exec('CREATE INDEX IF NOT EXISTS runs_unfinished ON runs (source_ids) WHERE finished_at IS NULL');
    }
    // The sync reads the pending documents in (updated_at, url) order, a batch at a time: with only
    // `pending` indexed, each batch sorted every pending row again (7.7 s of the 99,009 DGCL rows'
    // sync, bench:index -- --dataset); this index hands them over in order.
    if (version < 8) {
      db.exec(
        'CREATE INDEX IF NOT EXISTS documents_pending_order ON documents (updated_at, url) WHERE pending = 1',
      );
    }
    // Crawl workers (`npm run worker`) crawl one source each, several at once: each holds a lease on
    // its source (store/crawl-leases.ts) that the one-writer lock excludes. Workers and the API may
    // run in different containers, where pids mean nothing to each other: leases expire unless
    // renewed, and the writer lock names its host.
    if (version < 9) {
      db.exec(`CREATE TABLE IF NOT EXISTS crawl_leases (
        source_id TEXT PRIMARY KEY, holder TEXT NOT NULL, command TEXT NOT NULL, since TEXT NOT NULL,
        expires_at TEXT NOT NULL)`);
      addColumn(db, 'writer_lock', 'host TEXT');
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/**
 * What admins curate beside the crawl (store/audit-log.ts, source-health.ts, best-bets.ts,
 * query-counts.ts): in the store so that one file holds, and one backup keeps, everything but the
 * whitelist, which stays in git.
 */
function createCurationTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
      target TEXT, before TEXT, after TEXT);
    -- Appended to, never rewritten: SQLite itself refuses, whatever code or hand tries.
    CREATE TRIGGER IF NOT EXISTS audit_log_never_updated BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS audit_log_never_deleted BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE IF NOT EXISTS source_health (
      source_id TEXT PRIMARY KEY, consecutive_failures INTEGER NOT NULL, causes TEXT NOT NULL,
      last_run_at TEXT NOT NULL, suspended_at TEXT);
    CREATE TABLE IF NOT EXISTS best_bets (
      id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, queries TEXT NOT NULL, starts_at TEXT,
      ends_at TEXT, created_at TEXT NOT NULL, created_by TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS query_counts (
      day TEXT NOT NULL, query TEXT NOT NULL, searches INTEGER NOT NULL, zero_results INTEGER NOT NULL,
      PRIMARY KEY (day, query));
    CREATE TABLE IF NOT EXISTS search_counts (
      day TEXT PRIMARY KEY, searches INTEGER NOT NULL, zero_results INTEGER NOT NULL);
  `);
}

/** Adds a column unless it is there: a file created at this version already has it. */
function addColumn(db: Database.Database, table: string, definition: string): void {
  const name = definition.split(' ')[0]!;
  const columns = db.pragma(`table_info(${table})`) as { name: string }[];
  if (!columns.some((column) => column.name === name))
    db.exec(`ALTER TABLE ${table} ADD COLUMN ${definition}`);
}

function createVersion1(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS runs (
      id INTEGER PRIMARY KEY,
      source_ids TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT
    );
    CREATE TABLE IF NOT EXISTS pages (
      url TEXT PRIMARY KEY,
      source_id TEXT NOT NULL,
      run_id INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'done')),
      depth INTEGER NOT NULL DEFAULT 0,
      outcome TEXT,
      http_status INTEGER,
      etag TEXT,
      last_modified TEXT,
      content_hash TEXT,
      indexed_url TEXT,
      fetched_at TEXT,
      sitemap_lastmod TEXT,
      error TEXT
    );
    CREATE INDEX IF NOT EXISTS pages_by_run ON pages (run_id, state);
    CREATE INDEX IF NOT EXISTS pages_by_source ON pages (source_id, run_id);
    CREATE INDEX IF NOT EXISTS pages_by_hash ON pages (source_id, content_hash);
    CREATE TABLE IF NOT EXISTS documents (
      url TEXT PRIMARY KEY,
      source_id TEXT NOT NULL,
      page TEXT,
      content_hash TEXT,
      deleted INTEGER NOT NULL DEFAULT 0,
      pending INTEGER NOT NULL DEFAULT 1,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS documents_pending ON documents (pending);
    CREATE INDEX IF NOT EXISTS documents_by_source ON documents (source_id, deleted);
  `);
}
