import { afterEach } from 'vitest';
import { silentLogger } from '../../core/logger.ts';
import type { RecrawlJob } from '../../core/recrawl-job.ts';
import type { Recrawls } from '../../workflow/recrawls.ts';
import { Scheduler } from '../../workflow/scheduler.ts';
import { anAdminWorld, type AdminWorld } from './admin-world.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Each crawl is a process of its own (several seconds on a busy machine): a test running a few needs longer. */
export const SEVERAL_CRAWLS = 240_000;

export interface ScheduledWorld {
  world: AdminWorld;
  scheduler: Scheduler;
  recrawls: Recrawls;
}

/**
 * The API's admin side over a sources file (admin-world.ts), with a scheduler wired as api/main.ts
 * wires it: daily by default, a week of back-off at most, on the world's clock, which starts at the
 * real time and moves only when a test moves it. The crawl processes record the real time when a run
 * ends, so tests move the clock forward from there, and never expect a source crawled after a move
 * to wait for its interval from the moved clock. Everything is closed after each test, `also` first.
 */
export function scheduledWorldsPerTest(): {
  aScheduledWorld: (entries: string) => Promise<ScheduledWorld>;
  also: (cleanup: () => Promise<void>) => void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    aScheduledWorld: async (entries) => {
      const world = await anAdminWorld(`sources:\n${entries}`);
      cleanups.push(() => world.close());
      const recrawls = world.admin.recrawler as Recrawls;
      const scheduler = schedulerFor(world, recrawls);
      world.admin.schedule = scheduler;
      return { world, scheduler, recrawls };
    },
    also: (cleanup) => cleanups.push(cleanup),
  };
}

/** A scheduler over the world's store and sources: a second one is the API started again. */
export function schedulerFor(world: AdminWorld, recrawls: Recrawls): Scheduler {
  return new Scheduler({
    sources: () => world.admin.catalog.list,
    refreshSources: () => world.admin.catalog.refresh(),
    store: world.store,
    recrawls,
    rules: { defaultIntervalMs: DAY, maxBackoffMs: 7 * DAY },
    now: () => world.clock.now,
    log: silentLogger(),
  });
}

/** One tick, and the end of the crawl it started (none: nothing was due, or a crawl runs). */
export async function tickToEnd(scheduler: Scheduler, recrawls: Recrawls): Promise<RecrawlJob | undefined> {
  const job = scheduler.tick();
  return job && (await recrawls.finished(job.id));
}

export function later(world: AdminWorld, ms: number): void {
  world.clock.now = new Date(world.clock.now.getTime() + ms);
}

/** The source's next crawl as the admin API shows it. */
export async function nextCrawlOf(world: AdminWorld, id: string): Promise<string | null> {
  const { body } = await world.asBob('GET', `/v1/admin/sources/${id}`);
  return (body as { nextCrawl: string | null }).nextCrawl;
}

/** How long after its last run ended the source is crawled next. */
export async function waitAfterLastRun(world: AdminWorld, id: string): Promise<number> {
  const next = await nextCrawlOf(world, id);
  return Date.parse(next!) - Date.parse(world.store.health.of(id)!.lastRunAt);
}
