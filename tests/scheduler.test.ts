import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { aTownPage } from './builders/town-page.ts';
import { siteEntry } from './support/admin-world.ts';
import {
  DAY,
  HOUR,
  later,
  nextCrawlOf,
  scheduledWorldsPerTest,
  SEVERAL_CRAWLS,
  tickToEnd,
  waitAfterLastRun,
} from './support/scheduled-world.ts';
import { servedPerTest } from './support/served-sites.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';

const serve = servedPerTest();
const { aScheduledWorld } = scheduledWorldsPerTest();

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

  it(
    'schedules a source added to sources.yaml in git without a restart',
    async () => {
      const [first, added] = await Promise.all([serve(aTownSite('premiere')), serve(aTownSite('fusionnee'))]);
      const { world, scheduler, recrawls } = await aScheduledWorld(siteEntry('premiere', first.origin));
      await tickToEnd(scheduler, recrawls);

      await appendFile(world.sourcesFile, siteEntry('fusionnee', added.origin));
      const job = await scheduler.look();

      expect(job).toMatchObject({ sourceId: 'fusionnee', requestedBy: 'scheduler' });
      expect(await recrawls.finished(job!.id)).toMatchObject({ status: 'done' });
      expect((await world.search('fusionnee cantine'))[0]).toMatchObject({ source: { id: 'fusionnee' } });
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
