import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.ts';
import type { RecrawlJob } from '../core/recrawl-job.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { buildFicheSite, type FicheSite } from '../fixture-web/fiche-site.ts';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import { Recrawls } from '../workflow/recrawls.ts';
import { Scheduler } from '../workflow/scheduler.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';
import { indexedUrls, pageRequests } from './support/crawl-results.ts';
import { servedPerTest } from './support/served-sites.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';

const HOUR = 3_600_000;
/** Each crawl is a process of its own (several seconds on a busy machine): a test running a few needs longer. */
const SEVERAL_CRAWLS = 240_000;
const DAY = 24 * HOUR;

const serve = servedPerTest();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A small town site whose pages say `word`, so a search for it names this site's pages only. */
const aTownSite = (word: string) =>
  new Map([
    ['/', htmlResponse(aTownPage({ title: `Accueil ${word}`, links: ['/cantine'] }))],
    [
      '/cantine',
      htmlResponse(
        aTownPage({ title: `Cantine ${word}`, paragraphs: [`La cantine de ${word} sert des repas bio.`] }),
      ),
    ],
  ]);

/** A site whose robots.txt answers 503: its crawl fails, and counts as a failing run. */
const aSiteInMaintenance = () => serve(new Map([['/robots.txt', textResponse('maintenance', 503)]]));

/**
 * The API's admin side over a sources file (tests/support/admin-world.ts), with a scheduler wired as
 * api/main.ts wires it: daily by default, a week of back-off at most, on the world's clock, which
 * starts at the real time and moves only when a test moves it. The crawl processes record the real
 * time when a run ends, so the tests move the clock forward from there, and never expect a source
 * crawled after a move to wait for its interval from the moved clock.
 */
async function aScheduledWorld(entries: string) {
  const world = await anAdminWorld(`sources:\n${entries}`);
  cleanups.push(() => world.close());
  const recrawls = world.admin.recrawler as Recrawls;
  const scheduler = schedulerFor(world, recrawls);
  world.admin.schedule = scheduler;
  return { world, scheduler, recrawls };
}

function schedulerFor(world: AdminWorld, recrawls: Recrawls): Scheduler {
  return new Scheduler({
    sources: () => world.admin.catalog.list,
    store: world.store,
    recrawls,
    rules: { defaultIntervalMs: DAY, maxBackoffMs: 7 * DAY },
    now: () => world.clock.now,
    log: silentLogger(),
  });
}

/** One tick, and the end of the crawl it started (none: nothing was due, or a crawl runs). */
async function tickToEnd(scheduler: Scheduler, recrawls: Recrawls): Promise<RecrawlJob | undefined> {
  const job = scheduler.tick();
  return job && (await recrawls.finished(job.id));
}

function later(world: AdminWorld, ms: number): void {
  world.clock.now = new Date(world.clock.now.getTime() + ms);
}

async function nextCrawlOf(world: AdminWorld, id: string): Promise<string | null> {
  const { body } = await world.asBob('GET', `/v1/admin/sources/${id}`);
  return (body as { nextCrawl: string | null }).nextCrawl;
}

/** How long after its last run ended the source is crawled next. */
async function waitAfterLastRun(world: AdminWorld, id: string): Promise<number> {
  const next = await nextCrawlOf(world, id);
  return Date.parse(next!) - Date.parse(world.store.health.of(id)!.lastRunAt);
}

describe('the scheduler', () => {
  it('crawls a source never crawled as soon as it starts, and its pages become searchable', async () => {
    const site = await serve(aTownSite('zorglub'));
    const { world, scheduler, recrawls } = await aScheduledWorld(siteEntry('commune', site.origin));
    expect(await nextCrawlOf(world, 'commune')).toBe(world.clock.now.toISOString());

    const job = await tickToEnd(scheduler, recrawls);

    expect(job).toMatchObject({ sourceId: 'commune', requestedBy: 'scheduler', status: 'done' });
    const hits = await world.search('zorglub cantine');
    expect(hits[0]).toMatchObject({ url: `${site.origin}/cantine`, source: { id: 'commune' } });
    expect(await waitAfterLastRun(world, 'commune')).toBe(DAY);
  });

  it(
    'does not crawl a source again before its interval has passed, and does once it has',
    async () => {
      const site = await serve(aTownSite('zorglub'));
      const { world, scheduler, recrawls } = await aScheduledWorld(siteEntry('commune', site.origin));
      await tickToEnd(scheduler, recrawls);
      const requestsAfterFirstCrawl = site.requests.length;

      later(world, 23 * HOUR);
      expect(scheduler.tick()).toBeUndefined();
      expect(site.requests.length).toBe(requestsAfterFirstCrawl);

      later(world, 2 * HOUR);
      expect(await tickToEnd(scheduler, recrawls)).toMatchObject({ sourceId: 'commune', status: 'done' });
      expect(site.requests.length).toBeGreaterThan(requestsAfterFirstCrawl);
    },
    SEVERAL_CRAWLS,
  );

  it(
    "honours a source's own interval from sources.yaml over the daily default",
    async () => {
      const [often, daily] = await Promise.all([serve(aTownSite('souvent')), serve(aTownSite('chaquejour'))]);
      const { world, scheduler, recrawls } = await aScheduledWorld(
        siteEntry('souvent', often.origin, '\n      every: 6h') + siteEntry('quotidien', daily.origin),
      );
      await tickToEnd(scheduler, recrawls);
      await tickToEnd(scheduler, recrawls);
      expect(await waitAfterLastRun(world, 'souvent')).toBe(6 * HOUR);
      expect(await waitAfterLastRun(world, 'quotidien')).toBe(DAY);

      later(world, 7 * HOUR);

      expect(scheduler.due().map((entry) => entry.source.id)).toEqual(['souvent']);
      expect(await tickToEnd(scheduler, recrawls)).toMatchObject({ sourceId: 'souvent', status: 'done' });
    },
    SEVERAL_CRAWLS,
  );

  it('starts a crawl once when it ticks again, or an admin asks, while that crawl runs', async () => {
    const site = await serve(aTownSite('zorglub'));
    const { world, scheduler, recrawls } = await aScheduledWorld(siteEntry('commune', site.origin));

    const first = scheduler.tick();
    const second = scheduler.tick();
    const askedByAnAdmin = recrawls.start('commune', 'alice');
    await recrawls.finished(first!.id);

    expect(second).toBeUndefined();
    expect(askedByAnAdmin.id).toBe(first!.id);
    expect(recrawls.jobs()).toHaveLength(1);
    expect(site.requests.filter((request) => request.path === '/cantine')).toHaveLength(1);
    expect(await world.documentsOf('commune')).toBe(2);
  });

  it("waits while an operator's npm run crawl holds the store, and counts that crawl as the source's", async () => {
    const site = await serve(aTownSite('zorglub'));
    site.site.set('/cantine', async () => {
      // Slow enough that the scheduler ticks while the operator's crawl holds the store.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return htmlResponse(aTownPage({ title: 'Cantine zorglub' }));
    });
    const { world, scheduler } = await aScheduledWorld(siteEntry('commune', site.origin));

    const operator = startEntryPoint('workflow/crawl-main.ts', [], world.env);
    while (!world.store.writer() && operator.child.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    const whileItRuns = scheduler.tick();
    const exited = await operator.exited;

    expect(exited.exitCode, exited.stderr).toBe(0);
    expect(whileItRuns).toBeUndefined();
    expect(scheduler.tick()).toBeUndefined();
    expect(await waitAfterLastRun(world, 'commune')).toBe(DAY);
  });

  it(
    'tries a source whose site is down again later and later, until it is suspended',
    async () => {
      const down = await aSiteInMaintenance();
      const { world, scheduler, recrawls } = await aScheduledWorld(siteEntry('en-panne', down.origin));

      expect(await tickToEnd(scheduler, recrawls)).toMatchObject({ status: 'needs-attention' });
      const waits = [await waitAfterLastRun(world, 'en-panne')];
      // Past its daily interval, not past the doubled one.
      later(world, DAY + HOUR);
      expect(scheduler.tick()).toBeUndefined();

      world.clock.now = new Date((await nextCrawlOf(world, 'en-panne'))!);
      expect(await tickToEnd(scheduler, recrawls)).toMatchObject({ status: 'needs-attention' });
      waits.push(await waitAfterLastRun(world, 'en-panne'));
      world.clock.now = new Date((await nextCrawlOf(world, 'en-panne'))!);
      await tickToEnd(scheduler, recrawls);

      expect(waits).toEqual([2 * DAY, 4 * DAY]);
      // CRAWL_SUSPEND_AFTER_FAILURES (3) still applies: a suspended source is no longer scheduled.
      expect(world.store.health.of('en-panne')?.suspendedAt).not.toBeNull();
      expect(await nextCrawlOf(world, 'en-panne')).toBeNull();
      const requestsWhenSuspended = down.requests.length;
      later(world, 30 * DAY);
      expect(scheduler.tick()).toBeUndefined();
      expect(down.requests.length).toBe(requestsWhenSuspended);
    },
    SEVERAL_CRAWLS,
  );
});

describe('a crawl killed in the middle, then the API started again', () => {
  it(
    'is crawled at once by the next scheduler, continuing where it stopped, and ends with every page',
    async () => {
      const site = buildFicheSite({ count: 190 });
      const web = await serveSite(site, { latencyMs: 40 });
      cleanups.push(() => web.close());
      const robots = web.site.get('/robots.txt');
      web.site.set('/robots.txt', textResponse('maintenance', 503));
      const { world, scheduler, recrawls } = await aScheduledWorld(
        siteEntry('fiches', web.origin).replace(
          'requestsPerSecond: 50',
          'requestsPerSecond: 50\n      maxConcurrency: 4',
        ),
      );
      // Its first run fails, so it is not due again for two days...
      await tickToEnd(scheduler, recrawls);
      if (robots) web.site.set('/robots.txt', robots);
      else web.site.delete('/robots.txt');
      later(world, HOUR);
      expect(scheduler.tick()).toBeUndefined();

      // ...but an admin recrawls it once the site is back, and that crawl dies (the machine stopped).
      const killed = recrawls.start('fiches', 'alice');
      while (pageRequests(web).length < KILL_AFTER_PAGES) await new Promise((r) => setTimeout(r, 5));
      process.kill(world.store.writer()!.pid, 'SIGKILL');
      expect(await recrawls.finished(killed.id)).toMatchObject({ status: 'failed' });
      scheduler.stop();
      const requestedBeforeKill = pageRequests(web).length;

      const restarted = new Recrawls({ env: world.env });
      cleanups.push(() => restarted.stop());
      const afterRestart = schedulerFor(world, restarted);
      const job = await tickToEnd(afterRestart, restarted);

      expect(job, job?.output).toMatchObject({
        sourceId: 'fiches',
        requestedBy: 'scheduler',
        status: 'done',
      });
      const reportFile = /^Report: (.+)$/m.exec(job!.output)?.[1];
      const [report] = JSON.parse(await readFile(reportFile!, 'utf8')) as CrawlReport[];
      expect(report).toMatchObject({ sourceId: 'fiches', resumed: true });
      expect(requestedBeforeKill).toBeLessThan(sitePages(site).length * 0.75);
      expect(await indexedUrls(world.client, world.indexUid, 'fiches')).toEqual(
        sitePages(site)
          .map((pagePath) => web.url(pagePath))
          .sort(),
      );
    },
    SEVERAL_CRAWLS,
  );
});

const KILL_AFTER_PAGES = 60;

const sitePages = (site: FicheSite) => [...site.keys()].filter((key) => key === '/' || key.endsWith('.html'));
