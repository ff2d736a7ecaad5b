import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { indexedUrls } from './support/crawl-results.ts';
import { crawlInterruptedThenRerun, type InterruptedCrawl } from './support/interrupted-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const MAX_CONCURRENCY = 4;
const KILL_AFTER_PAGES = 60;

describe('npm run crawl killed with SIGKILL, then run again', () => {
  const indexUid = uniqueIndexUid('resume');
  let crawl: InterruptedCrawl;

  beforeAll(async () => {
    crawl = await crawlInterruptedThenRerun({
      signal: 'SIGKILL',
      indexUid,
      stopAfterPages: KILL_AFTER_PAGES,
      maxConcurrency: MAX_CONCURRENCY,
    });
  });

  afterAll(async () => {
    await crawl?.web.close();
  });

  it('was killed in the middle of the crawl', () => {
    expect(crawl.firstExit.signal).toBe('SIGKILL');
    expect(crawl.beforeStop.length).toBeGreaterThanOrEqual(KILL_AFTER_PAGES);
    expect(crawl.beforeStop.length).toBeLessThan(crawl.sitePages.length * 0.75);
  });

  it('resumes the killed run and says so in its report', async () => {
    expect(crawl.secondExit.exitCode, crawl.secondExit.stderr).toBe(0);
    const reportFile = /^Report: (.+)$/m.exec(crawl.secondExit.stdout)?.[1];
    const [report] = JSON.parse(await readFile(reportFile!, 'utf8')) as CrawlReport[];
    expect(report).toMatchObject({ sourceId: 'fiches', resumed: true, errors: {} });
  });

  it('never requests again a page it had recorded before the kill', () => {
    expect(crawl.afterRestart.filter((pagePath) => crawl.doneAtStop.has(crawl.web.url(pagePath)))).toEqual(
      [],
    );
  });

  it('requests again only the few pages that were in flight when it was killed', () => {
    const twice = crawl.afterRestart.filter((pagePath) => crawl.beforeStop.includes(pagePath));
    expect(twice.length).toBeLessThanOrEqual(MAX_CONCURRENCY);
    expect(new Set([...crawl.beforeStop, ...crawl.afterRestart])).toEqual(new Set(crawl.sitePages));
    expect(crawl.beforeStop.length + crawl.afterRestart.length).toBe(crawl.sitePages.length + twice.length);
  });

  it('ends with every page of the site in the index, and nothing else', async () => {
    expect(await indexedUrls(testMeiliClient(), indexUid)).toEqual(
      crawl.sitePages.map((pagePath) => crawl.web.url(pagePath)).sort(),
    );
  });
});
