import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { indexedUrls } from './support/crawl-results.ts';
import { crawlInterruptedThenRerun, type InterruptedCrawl } from './support/interrupted-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const STOP_AFTER_PAGES = 60;

/** As an orchestrator stops a crawl (a deploy, a scale-in): SIGTERM, then the next run. */
describe('npm run crawl stopped with SIGTERM, then run again', () => {
  const indexUid = uniqueIndexUid('sigterm');
  let crawl: InterruptedCrawl;

  beforeAll(async () => {
    crawl = await crawlInterruptedThenRerun({
      signal: 'SIGTERM',
      indexUid,
      stopAfterPages: STOP_AFTER_PAGES,
      maxConcurrency: 4,
    });
  });

  afterAll(async () => {
    await crawl?.web.close();
  });

  it('stops in the middle of the crawl with exit code 130, saying the next run resumes', () => {
    expect(crawl.firstExit.signal).toBeNull();
    expect(crawl.firstExit.exitCode, crawl.firstExit.stderr).toBe(130);
    expect(crawl.firstExit.stderr).toContain(
      'SIGTERM: stopping; the next npm run crawl resumes where this one stopped.',
    );
    expect(crawl.beforeStop.length).toBeLessThan(crawl.sitePages.length * 0.75);
  });

  it('resumes the stopped run, and says so in its report', async () => {
    // The stopped crawl let go of the store's writer lock: the next one was not refused (exit 4).
    expect(crawl.secondExit.exitCode).not.toBe(4);
    expect(crawl.secondExit.exitCode, crawl.secondExit.stderr).toBe(0);
    const reportFile = /^Report: (.+)$/m.exec(crawl.secondExit.stdout)?.[1];
    const [report] = JSON.parse(await readFile(reportFile!, 'utf8')) as CrawlReport[];
    expect(report).toMatchObject({ sourceId: 'fiches', resumed: true, errors: {} });
  });

  it('never requests again a page it had recorded before it stopped', () => {
    expect(crawl.afterRestart.filter((pagePath) => crawl.doneAtStop.has(crawl.web.url(pagePath)))).toEqual(
      [],
    );
    expect(new Set([...crawl.beforeStop, ...crawl.afterRestart])).toEqual(new Set(crawl.sitePages));
  });

  it('ends with every page of the site in the index, and nothing else', async () => {
    expect(await indexedUrls(testMeiliClient(), indexUid)).toEqual(
      crawl.sitePages.map((pagePath) => crawl.web.url(pagePath)).sort(),
    );
  });
});
