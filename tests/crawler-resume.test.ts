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

const MAX_CONCURRENCY = 4;
const KILL_AFTER_PAGES = 60;

describe('npm run crawl killed with SIGKILL, then run again', () => {
  const indexUid = uniqueIndexUid('resume');
  let site: FicheSite;
  let web: ServedSite;
  let beforeKill: string[];
  let afterRestart: string[];
  let doneAtKill: Set<string>;
  let firstExit: { exitCode: number | null; signal: NodeJS.Signals | null };
  let secondExit: { exitCode: number | null; stdout: string; stderr: string };

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
        crawl: { requestsPerSecond: 50, maxConcurrency: MAX_CONCURRENCY },
      },
    ]);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-resume-'));
    const env = {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: indexUid,
      DATA_DIR: dataDir,
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    const args = ['--sources', sourcesFile];

    const first = startEntryPoint('workflow/crawl-main.ts', args, env);
    while (pageRequests(web).length < KILL_AFTER_PAGES && first.child.exitCode === null) await delay(5);
    first.child.kill('SIGKILL');
    firstExit = await first.exited;
    beforeKill = pageRequests(web).map((request) => request.path);
    doneAtKill = new Set(visitedUrls(path.join(dataDir, 'crawl', 'crawl.sqlite')));
    web.resetStats();

    secondExit = await startEntryPoint('workflow/crawl-main.ts', args, env).exited;
    afterRestart = pageRequests(web).map((request) => request.path);
  });

  afterAll(async () => {
    await web?.close();
  });

  const sitePages = () => [...site.keys()].filter((key) => key === '/' || key.endsWith('.html'));

  it('was killed in the middle of the crawl', () => {
    expect(firstExit.signal).toBe('SIGKILL');
    expect(beforeKill.length).toBeGreaterThanOrEqual(KILL_AFTER_PAGES);
    expect(beforeKill.length).toBeLessThan(sitePages().length * 0.75);
  });

  it('resumes the killed run and says so in its report', async () => {
    expect(secondExit.exitCode, secondExit.stderr).toBe(0);
    const reportFile = /^Report: (.+)$/m.exec(secondExit.stdout)?.[1];
    const [report] = JSON.parse(await readFile(reportFile!, 'utf8')) as CrawlReport[];
    expect(report).toMatchObject({ sourceId: 'fiches', resumed: true, errors: {} });
  });

  it('never requests again a page it had recorded before the kill', () => {
    expect(afterRestart.filter((pagePath) => doneAtKill.has(web.url(pagePath)))).toEqual([]);
  });

  it('requests again only the few pages that were in flight when it was killed', () => {
    const twice = afterRestart.filter((pagePath) => beforeKill.includes(pagePath));
    expect(twice.length).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(new Set([...beforeKill, ...afterRestart])).toEqual(new Set(sitePages()));
    expect(beforeKill.length + afterRestart.length).toBe(sitePages().length + twice.length);
  });

  it('ends with every page of the site in the index, and nothing else', async () => {
    expect(await indexedUrls(testMeiliClient(), indexUid)).toEqual(
      sitePages()
        .map((pagePath) => web.url(pagePath))
        .sort(),
    );
  });
});
