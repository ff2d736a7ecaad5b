import type { StoreConnection } from './store-connection.ts';

/** A day's searches of one query, or of all queries. */
export interface QueryCount {
  searches: number;
  zeroResults: number;
}

export interface DayCounts extends QueryCount {
  day: string;
  /** The most searched queries. */
  topQueries: (QueryCount & { query: string })[];
  /** The queries that most often found nothing: the topics sources are missing for. */
  zeroResultQueries: (QueryCount & { query: string })[];
}

/**
 * Daily counts of searches, for admins to see which topics lack sources. Only aggregates are kept:
 * no address, no user, and only the queries that enough distinct clients made (the API decides
 * which, in memory: api/admin/query-insights.ts); the day's totals count every search.
 */
export class QueryCountStore {
  constructor(private readonly db: StoreConnection) {}

  /** Adds to the day's counts. */
  add(day: string, totals: QueryCount, queries: ReadonlyMap<string, QueryCount>): void {
    this.db.inTransaction(() => {
      this.db
        .statement(
          `INSERT INTO search_counts (day, searches, zero_results) VALUES (?, ?, ?)
             ON CONFLICT (day) DO UPDATE SET searches = searches + excluded.searches,
               zero_results = zero_results + excluded.zero_results`,
        )
        .run(day, totals.searches, totals.zeroResults);
      const addQuery = this.db.statement(
        `INSERT INTO query_counts (day, query, searches, zero_results) VALUES (?, ?, ?, ?)
           ON CONFLICT (day, query) DO UPDATE SET searches = searches + excluded.searches,
             zero_results = zero_results + excluded.zero_results`,
      );
      for (const [query, count] of queries) addQuery.run(day, query, count.searches, count.zeroResults);
    });
  }

  /** The days from `from` to `to` (YYYY-MM-DD, inclusive), newest first, each with its top queries. */
  days(from: string, to: string, topQueries: number): DayCounts[] {
    const days = this.db
      .statement(
        `SELECT day, searches, zero_results AS zeroResults FROM search_counts
           WHERE day BETWEEN ? AND ? ORDER BY day DESC`,
      )
      .all(from, to) as (QueryCount & { day: string })[];
    const top = this.db.statement(
      `SELECT query, searches, zero_results AS zeroResults FROM query_counts WHERE day = ?
         ORDER BY searches DESC, query LIMIT ?`,
    );
    const zero = this.db.statement(
      `SELECT query, searches, zero_results AS zeroResults FROM query_counts
         WHERE day = ? AND zero_results > 0 ORDER BY zero_results DESC, query LIMIT ?`,
    );
    return days.map((day) => ({
      ...day,
      topQueries: top.all(day.day, topQueries) as DayCounts['topQueries'],
      zeroResultQueries: zero.all(day.day, topQueries) as DayCounts['zeroResultQueries'],
    }));
  }
}
