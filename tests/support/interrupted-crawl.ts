import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { inject } from 'vitest';
import { buildFicheSite } from '../../fixture-web/fiche-site.ts';
import { serveSite } from '../../fixture-web/site-server.ts';
import { pageRequests, visitedUrls } from './crawl-results.ts';
import { type RunningEntryPoint, startEntryPoint } from './spawn-entry-point.ts';
import { writeTempSourcesFile } from './temp-sources-file.ts';

type Exit = Awaited<RunningEntryPoint['exited']>;

/**
 * `npm run crawl` of a 190-page site (40 ms a page) stopped by `signal` once it has requested
 * `stopAfterPages` pages, then run again to the end, as an operator or an orchestrator would: what
 * each run requested, what the store had recorded when the first stopped, and how both exited.
 */
export async function crawlInterruptedThenRerun(options: {
  signal: 'SIGTERM' | 'SIGKILL';
  indexUid: string;
  stopAfterPages: number;
  maxConcurrency: number;
}) {
  const site = buildFicheSite({ count: 190 });
  const web = await serveSite(site, { latencyMs: 40 });
  const sourcesFile = await writeTempSourcesFile([
    {
      id: 'fiches',
      name: 'Fiches pratiques',
      kind: 'etat',
      url: `${web.origin}/`,
      territory: 'national',
      crawl: { requestsPerSecond: 50, maxConcurrency: options.maxConcurrency },
    },
  ]);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-interrupted-'));
  const env = {
    MEILI_URL: inject('meiliUrl'),
    MEILI_MASTER_KEY: inject('meiliKey'),
    MEILI_INDEX: options.indexUid,
    DATA_DIR: dataDir,
    CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const args = ['--sources', sourcesFile];

  const first = startEntryPoint('workflow/crawl-main.ts', args, env);
  while (pageRequests(web).length < options.stopAfterPages && first.child.exitCode === null) await delay(5);
  first.child.kill(options.signal);
  const firstExit: Exit = await first.exited;
  const beforeStop = pageRequests(web).map((request) => request.path);
  const doneAtStop = new Set(visitedUrls(path.join(dataDir, 'crawl', 'crawl.sqlite')));
  web.resetStats();

  const secondExit: Exit = await startEntryPoint('workflow/crawl-main.ts', args, env).exited;
  const afterRestart = pageRequests(web).map((request) => request.path);
  return {
    web,
    /** The site's pages (not its robots.txt or sitemaps), as paths. */
    sitePages: [...site.keys()].filter((key) => key === '/' || key.endsWith('.html')),
    firstExit,
    beforeStop,
    doneAtStop,
    secondExit,
    afterRestart,
  };
}

export type InterruptedCrawl = Awaited<ReturnType<typeof crawlInterruptedThenRerun>>;
