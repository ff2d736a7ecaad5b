import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { buildFicheSite, type FicheSite } from '../fixture-web/fiche-site.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { indexedUrls, pageRequests, visitedUrls } from './support/crawl-results.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const STOP_AFTER_PAGES = 60;

/** As an orchestrator stops a crawl (a deploy, a scale-in): SIGTERM, then the next run. */
describe('npm run crawl stopped with SIGTERM, then run again', () => {
  const indexUid = uniqueIndexUid('sigterm');
  let site: FicheSite;
  let web: ServedSite;
  let beforeStop: string[];
  let afterRestart: string[];
  let doneAtStop: Set<string>;
  let firstExit: { exitCode: number | null; signal: NodeJS.Signals | null; stderr: string };
  let secondExit: { exitCode: number | null; stdout: string; stderr: string };
  let secondWriterRefused: boolean;

  beforeAll(async () => {
    site = buildFicheSite({ count: 190 });
    web = await serveSite(site, { latencyMs: 40 });
    const sourcesFile = await writeTempSourcesFile([
      {
        id: 'fiches',
        name: 'Fiches pratiques',
        kind: 'etat',
        url: `${web.origin}/`,
        territory: 'national',
        crawl: { requestsPerSecond: 50, maxConcurrency: 4 },
      },
    ]);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-sigterm-'));
    const env = {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: indexUid,
      DATA_DIR: dataDir,
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const args = ['--sources', sourcesFile];

    const first = startEntryPoint('workflow/crawl-main.ts', args, env);
    while (pageRequests(web).length < STOP_AFTER_PAGES && first.child.exitCode === null) await delay(5);
    first.child.kill('SIGTERM');
    firstExit = await first.exited;
    beforeStop = pageRequests(web).map((request) => request.path);
    doneAtStop = new Set(visitedUrls(path.join(dataDir, 'crawl', 'crawl.sqlite')));
    web.resetStats();

    secondExit = await startEntryPoint('workflow/crawl-main.ts', args, env).exited;
    // The stopped crawl let go of the store's writer lock: the next one was not refused (exit 4).
    secondWriterRefused = secondExit.exitCode === 4;
    afterRestart = pageRequests(web).map((request) => request.path);
  });

  afterAll(async () => {
    await web?.close();
  });

  const sitePages = () => [...site.keys()].filter((key) => key === '/' || key.endsWith('.html'));

  it('stops in the middle of the crawl with exit code 130, saying the next run resumes', () => {
    expect(firstExit.signal).toBeNull();
    expect(firstExit.exitCode, firstExit.stderr).toBe(130);
    expect(firstExit.stderr).toContain(
      'SIGTERM: stopping; the next npm run crawl resumes where this one stopped.',
    );
    expect(beforeStop.length).toBeLessThan(sitePages().length * 0.75);
  });

  it('resumes the stopped run, and says so in its report', async () => {
    expect(secondWriterRefused).toBe(false);
    expect(secondExit.exitCode, secondExit.stderr).toBe(0);
    const reportFile = /^Report: (.+)$/m.exec(secondExit.stdout)?.[1];
    const [report] = JSON.parse(await readFile(reportFile!, 'utf8')) as CrawlReport[];
    expect(report).toMatchObject({ sourceId: 'fiches', resumed: true, errors: {} });
  });

  it('never requests again a page it had recorded before it stopped', () => {
    expect(afterRestart.filter((pagePath) => doneAtStop.has(web.url(pagePath)))).toEqual([]);
    expect(new Set([...beforeStop, ...afterRestart])).toEqual(new Set(sitePages()));
  });

  it('ends with every page of the site in the index, and nothing else', async () => {
    expect(await indexedUrls(testMeiliClient(), indexUid)).toEqual(
      sitePages()
        .map((pagePath) => web.url(pagePath))
        .sort(),
    );
  });
});
