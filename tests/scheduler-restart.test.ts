import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { buildFicheSite, type FicheSite } from '../fixture-web/fiche-site.ts';
import { textResponse } from '../fixture-web/fixture-route.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import { Recrawls } from '../workflow/recrawls.ts';
import { siteEntry } from './support/admin-world.ts';
import { indexedUrls, pageRequests } from './support/crawl-results.ts';
import {
  HOUR,
  later,
  scheduledWorldsPerTest,
  schedulerFor,
  SEVERAL_CRAWLS,
  tickToEnd,
} from './support/scheduled-world.ts';

const { aScheduledWorld, also } = scheduledWorldsPerTest();
const KILL_AFTER_PAGES = 60;

describe('a crawl killed in the middle, then the API started again', () => {
  it(
    'is crawled at once by the next scheduler, continuing where it stopped, and ends with every page',
    async () => {
      const site = buildFicheSite({ count: 190 });
      const web = await serveSite(site, { latencyMs: 40 });
      also(() => web.close());
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
      also(() => restarted.stop());
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

const sitePages = (site: FicheSite) => [...site.keys()].filter((key) => key === '/' || key.endsWith('.html'));
