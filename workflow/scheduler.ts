import {
  type CrawlHistory,
  type CrawlSchedule,
  dueAt,
  intervalOf,
  type ScheduleRules,
} from '../core/crawl-schedule.ts';
import type { Logger } from '../core/logger.ts';
import type { RecrawlJob } from '../core/recrawl-job.ts';
import type { Source } from '../core/source.ts';
import type { CrawlStore } from '../store/crawl-store.ts';
import type { Recrawls } from './recrawls.ts';

/** How often the scheduler looks for a due source when no crawl of its has just ended. */
export const SCHEDULER_TICK_MS = 60_000;
/** The first wait after a crawl process that failed (crashed, killed, bad configuration). */
const PROCESS_RETRY_MS = 5 * 60_000;

export interface SchedulerOptions {
  /** The whitelist as it is now (admins edit it while the API runs). */
  sources: () => readonly Source[];
  /**
   * Re-reads the whitelist before each timed look, so that a source merged in git is scheduled
   * without a restart; when it fails (a bad edit), the last good list is kept.
   */
  refreshSources?: () => Promise<unknown>;
  store: CrawlStore;
  recrawls: Recrawls;
  rules: ScheduleRules;
  now: () => Date;
  log: Logger;
  /**
   * Past one machine: due sources are queued here (BullMQ, workflow/crawl-queue.ts) for the crawl
   * workers rather than crawled by this process. The queue holds a source once, waiting or running.
   */
  queue?: { enqueue(sourceId: string, requestedBy: string): Promise<boolean> };
}

/**
 * Recrawls each enabled, not suspended source when it is due (core/crawl-schedule.ts), one at a
 * time: each crawl is `npm run crawl -- --source ID` through the admin API's recrawls, so it takes
 * the store's writer lock, counts failures and writes its report like any other, and the store has
 * one writer. It keeps nothing of its own that matters: when a source is due comes from the store,
 * so a restart picks up where the last process stopped (an interrupted crawl first).
 */
export class Scheduler implements CrawlSchedule {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Crawl processes that failed without reaching the store (it never counted them), per source: the
   * source waits before the next try rather than being started again at every tick. Forgotten on
   * restart, which is when an operator has fixed what made them fail.
   */
  private readonly processFailures = new Map<string, { count: number; retryAt: number }>();

  constructor(private readonly options: SchedulerOptions) {}

  /** Ticks now, then every `tickMs`, and again as soon as a crawl ends. */
  start(tickMs = SCHEDULER_TICK_MS): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => void this.look(), tickMs);
    void this.look();
  }

  /** Starts nothing from now on (SIGTERM); a crawl running is the recrawls' to stop. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Starts the crawl of the most overdue source, unless a crawl runs (ours, an admin's, or an
   * operator's `npm run crawl` holding the writer lock): then it waits for the next tick.
   * Returns the job started, if any.
   */
  tick(): RecrawlJob | undefined {
    if (this.stopped) return undefined;
    const { recrawls, store, log } = this.options;
    if (recrawls.running().length > 0) return undefined;
    const writer = store.writer();
    if (writer) {
      log.debug({ writer: writer.command }, 'the store has a writer: no scheduled crawl for now');
      return undefined;
    }
    const [next] = this.due();
    if (!next) return undefined;
    const job = recrawls.start(next.source.id, 'scheduler');
    log.info(
      { source: next.source.id, job: job.id, dueAt: next.dueAt.toISOString() },
      'scheduled crawl started',
    );
    void recrawls
      .finished(job.id)
      .then((ended) => this.ended(ended))
      // Never an unhandled rejection: that would stop the API.
      .catch((error: unknown) => log.error({ err: error }, 'the scheduler could not follow a crawl'));
    return job;
  }

  /** Sources due now, the most overdue first. */
  due(): { source: Source; dueAt: Date }[] {
    const now = this.options.now().getTime();
    return this.plan()
      .filter((entry) => entry.dueAt.getTime() <= now)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  }

  /** When each scheduled source is crawled next (now, if it is overdue); none once stopped. */
  nextCrawls(): Map<string, Date> {
    if (this.stopped) return new Map();
    const now = this.options.now().getTime();
    return new Map(
      this.plan().map((entry) => [entry.source.id, new Date(Math.max(entry.dueAt.getTime(), now))]),
    );
  }

  /** Every scheduled source (enabled, not suspended) with when it is due. */
  private plan(): { source: Source; dueAt: Date }[] {
    const { store, rules } = this.options;
    const health = store.health.all();
    const unfinished = store.unfinishedCrawls();
    return this.options
      .sources()
      .filter((source) => source.enabled && !health.get(source.id)?.suspendedAt)
      .map((source) => {
        const sourceHealth = health.get(source.id);
        const interruptedAt = unfinished.runs.get(source.id);
        const history: CrawlHistory | undefined = sourceHealth && {
          lastRunAt: sourceHealth.lastRunAt,
          consecutiveFailures: sourceHealth.consecutiveFailures,
          // A run started after the source's last one ended, and never finished.
          ...(interruptedAt && interruptedAt > sourceHealth.lastRunAt ? { interruptedAt } : {}),
          cycleUnfinished: unfinished.cycles.has(source.id),
        };
        let due = dueAt(source, history, rules).getTime();
        const failed = this.processFailures.get(source.id);
        if (failed) due = Math.max(due, failed.retryAt);
        return { source, dueAt: new Date(due) };
      });
  }

  private ended(job: RecrawlJob): void {
    const { log } = this.options;
    if (job.status === 'refused') {
      // Another process took the writer lock first: the next tick tries again.
      log.info({ source: job.sourceId }, 'scheduled crawl refused: the store had another writer');
      return;
    }
    if (job.status === 'failed') this.recordProcessFailure(job);
    else this.processFailures.delete(job.sourceId);
    log.info({ source: job.sourceId, job: job.id, status: job.status }, 'scheduled crawl ended');
    // The next due source need not wait for the timer.
    if (this.timer) this.tickSafely();
  }

  private recordProcessFailure(job: RecrawlJob): void {
    const source = this.options.sources().find((one) => one.id === job.sourceId);
    const interval = source ? intervalOf(source, this.options.rules) : this.options.rules.defaultIntervalMs;
    const count = (this.processFailures.get(job.sourceId)?.count ?? 0) + 1;
    const wait = Math.min(PROCESS_RETRY_MS * 2 ** (count - 1), interval);
    const retryAt = this.options.now().getTime() + wait;
    this.processFailures.set(job.sourceId, { count, retryAt });
    this.options.log.warn(
      { source: job.sourceId, job: job.id, output: job.output.slice(-500), retryAt: new Date(retryAt) },
      'scheduled crawl process failed; trying again later',
    );
  }

  /**
   * What the timer does: reads the whitelist again, then ticks (or, with a queue, queues every due
   * source). Returns the job started here, if any.
   */
  async look(): Promise<RecrawlJob | undefined> {
    try {
      await this.options.refreshSources?.();
    } catch (error) {
      this.options.log.warn(
        { err: error },
        'could not read the sources file again; scheduling the last good one',
      );
    }
    if (this.options.queue) {
      await this.enqueueDue(this.options.queue);
      return undefined;
    }
    return this.tickSafely();
  }

  /**
   * Queues each due source, the most overdue first. A source stays due until a worker has crawled
   * it (its run is then in the store); meanwhile the queue refuses it again. Redis down: logged,
   * and the next look tries again.
   */
  async enqueueDue(queue: NonNullable<SchedulerOptions['queue']>): Promise<string[]> {
    if (this.stopped) return [];
    const queued: string[] = [];
    try {
      for (const { source } of this.due()) {
        if (await queue.enqueue(source.id, 'scheduler')) queued.push(source.id);
      }
      if (queued.length > 0) this.options.log.info({ sources: queued }, 'due sources queued for the workers');
    } catch (error) {
      this.options.log.error({ err: error }, 'could not queue due sources; the next look tries again');
    }
    return queued;
  }

  /** A tick from the timer: a failure to read the store is logged, and the next tick tries again. */
  private tickSafely(): RecrawlJob | undefined {
    try {
      return this.tick();
    } catch (error) {
      this.options.log.error({ err: error }, 'the scheduler could not look for due sources');
      return undefined;
    }
  }
}
