import type { StoreConnection } from './store-connection.ts';

/** Why a source's crawl failed, in words an admin acts on. */
export const FAILURE_CAUSES = [
  'offline',
  'robots-blocked',
  'tls',
  'timeout',
  'private-address',
  'http-error',
  'other',
] as const;
export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** How a source's last crawls went: failures in a row, and whether it was suspended for them. */
export interface SourceHealth {
  sourceId: string;
  consecutiveFailures: number;
  /** The causes of the last failing run (empty after a run that worked). */
  causes: { cause: FailureCause; detail: string }[];
  lastRunAt: string;
  /** When the source was suspended after failing too many runs in a row; null when it is not. */
  suspendedAt: string | null;
}

interface HealthRow {
  sourceId: string;
  consecutiveFailures: number;
  causes: string;
  lastRunAt: string;
  suspendedAt: string | null;
}

/**
 * Failing runs in a row per source, and the suspensions they lead to: a source down for days is
 * no longer requested at every run (nor does it keep every report red) until an admin lifts it.
 */
export class SourceHealthStore {
  constructor(private readonly db: StoreConnection) {}

  /**
   * Records one run of a source: a failure adds one to its count, a success resets it. A source
   * reaching `suspendAfter` failures in a row is suspended (0: never). Returns its health after.
   */
  recordRun(
    sourceId: string,
    failure: SourceHealth['causes'] | null,
    at: string,
    suspendAfter: number,
  ): SourceHealth {
    this.db.inTransaction(() => {
      const before = this.of(sourceId);
      const failures = failure ? (before?.consecutiveFailures ?? 0) + 1 : 0;
      const suspend = failure !== null && suspendAfter > 0 && failures >= suspendAfter;
      this.db
        .statement(
          `INSERT INTO source_health (source_id, consecutive_failures, causes, last_run_at, suspended_at)
             VALUES (@sourceId, @failures, @causes, @at, @suspendedAt)
             ON CONFLICT (source_id) DO UPDATE SET consecutive_failures = @failures, causes = @causes,
               last_run_at = @at, suspended_at = coalesce(source_health.suspended_at, @suspendedAt)`,
        )
        .run({
          sourceId,
          failures,
          causes: JSON.stringify(failure ?? []),
          at,
          suspendedAt: suspend ? at : null,
        });
    });
    return this.of(sourceId)!;
  }

  /** An admin re-enabled the source: it is crawled again, its count starting from zero. */
  lift(sourceId: string): void {
    this.db
      .statement('UPDATE source_health SET suspended_at = NULL, consecutive_failures = 0 WHERE source_id = ?')
      .run(sourceId);
  }

  of(sourceId: string): SourceHealth | undefined {
    const row = this.db.statement(`${SELECT} WHERE source_id = ?`).get(sourceId) as HealthRow | undefined;
    return row && toHealth(row);
  }

  all(): Map<string, SourceHealth> {
    const rows = this.db.statement(SELECT).all() as HealthRow[];
    return new Map(rows.map((row) => [row.sourceId, toHealth(row)]));
  }

  suspendedIds(): Set<string> {
    return new Set(
      this.db
        .statement('SELECT source_id FROM source_health WHERE suspended_at IS NOT NULL')
        .pluck()
        .all() as string[],
    );
  }
}

const SELECT = `SELECT source_id AS sourceId, consecutive_failures AS consecutiveFailures, causes,
    last_run_at AS lastRunAt, suspended_at AS suspendedAt FROM source_health`;

function toHealth(row: HealthRow): SourceHealth {
  return { ...row, causes: JSON.parse(row.causes) as SourceHealth['causes'] };
}
