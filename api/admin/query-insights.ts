import { createHash, randomBytes } from 'node:crypto';
import { queryKey } from '../../core/query-key.ts';
import type { QueryCountStore } from '../../store/query-counts.ts';

/** A query is kept only once this many distinct clients made it the same day. */
export const MIN_DISTINCT_CLIENTS = 3;
/** Distinct queries followed a day; past it, new ones only count in the day's totals. */
const MAX_QUERIES_A_DAY = 100_000;

interface QueryTally {
  /** Salted hashes of the first clients seen, MIN_DISTINCT_CLIENTS at most: enough to know. */
  clients: string[];
  searches: number;
  zeroResults: number;
}

/**
 * Counts the day's searches for admins (which topics lack sources) without keeping anyone's: no
 * address, no user id, and no query that fewer than MIN_DISTINCT_CLIENTS clients made. Clients are
 * told apart in memory by a hash of their address under a random salt drawn each day and never
 * written anywhere, so that nothing links two days or leads back to an address; a query's
 * hashes stop at the threshold. At the end of the day the tallies of queries that did not reach it
 * are dropped unwritten. Only counts reach the store (store/query-counts.ts), every `flush`.
 */
export class QueryInsights {
  private day = '';
  private salt = randomBytes(16);
  private totals = { searches: 0, zeroResults: 0 };
  private readonly queries = new Map<string, QueryTally>();

  constructor(private readonly store: QueryCountStore) {}

  /** One search: its query as typed, the client it came from (an address), whether it found nothing. */
  record(query: string, client: string, zeroResults: boolean, now: Date): void {
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) this.startDay(day);
    this.totals.searches++;
    if (zeroResults) this.totals.zeroResults++;
    const key = queryKey(query);
    if (!key) return;
    let tally = this.queries.get(key);
    if (!tally) {
      if (this.queries.size >= MAX_QUERIES_A_DAY) return;
      tally = { clients: [], searches: 0, zeroResults: 0 };
      this.queries.set(key, tally);
    }
    tally.searches++;
    if (zeroResults) tally.zeroResults++;
    if (tally.clients.length < MIN_DISTINCT_CLIENTS) {
      const hash = createHash('sha256').update(this.salt).update(client).digest('base64url').slice(0, 16);
      if (!tally.clients.includes(hash)) tally.clients.push(hash);
    }
  }

  /** Adds what was counted since the last flush to the store: totals, and queries past the threshold. */
  flush(): void {
    if (!this.day) return;
    const kept = new Map<string, { searches: number; zeroResults: number }>();
    for (const [key, tally] of this.queries) {
      if (tally.clients.length < MIN_DISTINCT_CLIENTS || tally.searches === 0) continue;
      kept.set(key, { searches: tally.searches, zeroResults: tally.zeroResults });
      tally.searches = 0;
      tally.zeroResults = 0;
    }
    if (this.totals.searches === 0 && kept.size === 0) return;
    this.store.add(this.day, this.totals, kept);
    this.totals = { searches: 0, zeroResults: 0 };
  }

  private startDay(day: string): void {
    this.flush();
    this.day = day;
    this.salt = randomBytes(16);
    this.queries.clear();
  }
}
