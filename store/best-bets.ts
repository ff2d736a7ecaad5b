import type { StoreConnection } from './store-connection.ts';

/** A page an admin pins at the top of the results of some queries, optionally between two instants. */
export interface BestBet {
  id: number;
  url: string;
  /** The queries it answers, as `queryKey` (core/query-key.ts) writes them. */
  queries: string[];
  /** ISO instants; null: from now on, and for ever. */
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  createdBy: string;
}

interface BestBetRow extends Omit<BestBet, 'queries'> {
  queries: string;
}

const SELECT = `SELECT id, url, queries, starts_at AS startsAt, ends_at AS endsAt, created_at AS createdAt,
    created_by AS createdBy FROM best_bets`;

/**
 * The promoted results. Read at every search that could show one, straight from SQLite: the table
 * holds a few dozen rows, and reading it costs microseconds, so no copy in memory can go stale (an
 * end date passed, another API process's change).
 */
export class BestBetStore {
  constructor(private readonly db: StoreConnection) {}

  create(bet: Omit<BestBet, 'id'>): BestBet {
    const inserted = this.db
      .statement(
        `INSERT INTO best_bets (url, queries, starts_at, ends_at, created_at, created_by)
           VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(bet.url, JSON.stringify(bet.queries), bet.startsAt, bet.endsAt, bet.createdAt, bet.createdBy);
    return { ...bet, id: Number(inserted.lastInsertRowid) };
  }

  remove(id: number): BestBet | undefined {
    const bet = this.get(id);
    if (bet) this.db.statement('DELETE FROM best_bets WHERE id = ?').run(id);
    return bet;
  }

  get(id: number): BestBet | undefined {
    const row = this.db.statement(`${SELECT} WHERE id = ?`).get(id) as BestBetRow | undefined;
    return row && toBestBet(row);
  }

  /** Every best bet, expired ones included, newest first. */
  all(): BestBet[] {
    return (this.db.statement(`${SELECT} ORDER BY id DESC`).all() as BestBetRow[]).map(toBestBet);
  }

  /** The bets in force at `now` for this query key, oldest first. */
  activeFor(queryKey: string, now: Date): BestBet[] {
    const at = now.toISOString();
    const rows = this.db
      .statement(
        `${SELECT} WHERE EXISTS (SELECT 1 FROM json_each(best_bets.queries) WHERE value = @queryKey)
           AND (starts_at IS NULL OR starts_at <= @at) AND (ends_at IS NULL OR ends_at > @at)
           ORDER BY id`,
      )
      .all({ queryKey, at }) as BestBetRow[];
    return rows.map(toBestBet);
  }
}

function toBestBet(row: BestBetRow): BestBet {
  return { ...row, queries: JSON.parse(row.queries) as string[] };
}
