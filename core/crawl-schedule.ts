import { parseDuration } from './duration.ts';
import type { Source } from './source.ts';

/** The scheduler's settings (CRAWL_DEFAULT_INTERVAL, CRAWL_MAX_BACKOFF), in milliseconds. */
export interface ScheduleRules {
  defaultIntervalMs: number;
  maxBackoffMs: number;
}

/** What the store knows of a source's crawls, as far as its schedule goes. */
export interface CrawlHistory {
  /** When its last run ended (source_health); none: never crawled. */
  lastRunAt?: string;
  consecutiveFailures: number;
  /**
   * When a run that includes it started and never finished (a crawl killed, a machine restarted),
   * if that is after its last run ended.
   */
  interruptedAt?: string;
  /** Its last crawl stopped at its time budget: the next run continues that crawl. */
  cycleUnfinished: boolean;
}

/** How often the source is recrawled: its own `crawl.every`, else the default. */
export function intervalOf(source: Source, rules: ScheduleRules): number {
  const own = source.crawl.every === undefined ? undefined : parseDuration(source.crawl.every);
  return own ?? rules.defaultIntervalMs;
}

/**
 * When the source's next crawl is due; it may be in the past (overdue). A source never crawled is
 * due since the epoch, so it goes first. A crawl that was interrupted, or stopped at its budget, is
 * due at once: its state is in the store, half done, and the next run continues it. Otherwise a
 * crawl is due one interval after the last run ended, doubled for each failing run in a row (a site
 * down is asked less and less often until it is suspended), never more than the cap, or the
 * interval itself when that is longer.
 */
export function dueAt(source: Source, history: CrawlHistory | undefined, rules: ScheduleRules): Date {
  if (!history?.lastRunAt) return new Date(0);
  if (history.interruptedAt) return new Date(history.interruptedAt);
  const lastRun = Date.parse(history.lastRunAt);
  if (history.cycleUnfinished) return new Date(lastRun);
  const interval = intervalOf(source, rules);
  // 2^failures overflows to Infinity long before it matters: the cap applies first.
  const wait = Math.min(interval * 2 ** history.consecutiveFailures, Math.max(rules.maxBackoffMs, interval));
  return new Date(lastRun + wait);
}

/**
 * The next crawl of each scheduled source, for the admin API: all at once, since the plan reads the
 * store's health and unfinished runs for every source (a source absent is not scheduled).
 */
export interface CrawlSchedule {
  nextCrawls(): Map<string, Date>;
}
