/**
 * `npm run bench:recrawl [-- --pages N]`: what a recrawl costs when little changed. A generated site
 * of N fiche pages (default 5,000) whose sitemap gives every page a lastmod, served from another
 * process, is crawled once (politeness lifted: at one request a second the first crawl would take
 * hours), then changed as a day would change it (1 % rewritten, 1 % gone, see recrawl-site.ts) and
 * recrawled the way `npm run crawl` does it: default settings, the site's `Crawl-delay: 1` honoured,
 * then indexed into an embedded Meilisearch. Prints the recrawl's requests, its wall time (crawl and
 * indexing) beside the ideal (requests x the delay), and whether every changed page was refetched
 * and re-indexed and every gone page deleted.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Meilisearch } from 'meilisearch';
import { createLogger } from '../core/logger.ts';
import { documentIdForUrl, type SearchDocument } from '../core/search-document.ts';
import { SourceSchema } from '../core/source.ts';
import { formatReport } from '../crawler/crawl-report.ts';
import { type CrawlSettings, defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { runCrawl } from '../workflow/run-crawl.ts';
import type { SiteChanges } from './recrawl-site.ts';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '5000' } } });
const CRAWL_DELAY_S = 1;
const INDEX_UID = 'documents';

const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'bench/serve-recrawl-site-process.ts', values.pages],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const answers = lines(server);
const origin = await answers.next();
const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-recrawl-'));
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const client = createMeiliClient(meili.url, meili.masterKey);
const resources = await loadIndexerResources();
const storeFile = path.join(workDir, 'crawl', 'crawl.sqlite');
const source = SourceSchema.parse({
  id: 'bench',
  name: 'Bench',
  kind: 'etat',
  url: `${origin}/`,
  territory: 'national',
  // The site is bigger than the default cap; politeness (concurrency 2, 2 requests/s) as by default.
  crawl: { maxPages: 100_000 },
});
const crawl = async (settings: CrawlSettings) => {
  const store = CrawlStore.open(storeFile);
  try {
    const started = performance.now();
    const { reports } = await runCrawl({
      sources: [source],
      store,
      client,
      indexUid: INDEX_UID,
      settings,
      resources,
      log,
    });
    return { report: reports[0]!, seconds: (performance.now() - started) / 1000 };
  } finally {
    store.close();
  }
};
// The site is on 127.0.0.1: the only production setting changed for the recrawl.
const settings = { ...defaultCrawlSettings('pas-bench'), allowPrivateNetworks: true };

try {
  console.log(`Site: ${values.pages} fiche pages (+ hub pages) at ${origin}, every page in the sitemap`);
  const first = await crawl({ ...settings, liftPoliteness: true });
  console.log(
    `First crawl (politeness lifted): ${first.seconds.toFixed(1)} s; ${formatReport(first.report)}`,
  );

  server.stdin.write('change\n');
  const changes = JSON.parse(await answers.next()) as SiteChanges;
  console.log(
    `Changed: ${changes.changed.length} pages rewritten, ${changes.gone.length} gone; robots.txt asks Crawl-delay: ${CRAWL_DELAY_S}`,
  );
  const recrawlStarted = Date.now();
  const second = await crawl(settings);
  server.stdin.write('requests\n');
  const requests = JSON.parse(await answers.next()) as { path: string; at: number }[];
  console.log(`Recrawl: ${formatReport(second.report)}`);

  const ideal = requests.length * CRAWL_DELAY_S;
  const lastRequestAt = Math.max(...requests.map((request) => request.at));
  const requested = new Set(requests.map((request) => request.path));
  const refetched = changes.changed.filter(({ path }) => requested.has(path)).length;
  const goneAsked = changes.gone.filter((path) => requested.has(path)).length;
  const reindexed = await countReindexed(client, origin, changes.changed);
  const stillIndexed = await countIndexed(
    client,
    changes.gone.map((path) => `${origin}${path}`),
  );
  console.log('\n| recrawl | requests | wall time | ideal (requests x 1 s) | ratio |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(
    `| ${values.pages} pages, 1 % changed, 1 % gone | ${requests.length} | ${second.seconds.toFixed(1)} s | ${ideal} s | **${(second.seconds / ideal).toFixed(3)}x** |`,
  );
  console.log(
    `\nOf the wall time: ${((requests[0]!.at - recrawlStarted) / 1000).toFixed(1)} s before the first request, ` +
      `${((lastRequestAt - requests[0]!.at) / 1000).toFixed(1)} s from the first request to the last, ` +
      `${((recrawlStarted + second.seconds * 1000 - lastRequestAt) / 1000).toFixed(1)} s after the last: ` +
      `the crawl, with its host's indexing, ended ${((recrawlStarted + second.report.durationMs - lastRequestAt) / 1000).toFixed(1)} s after it, ` +
      'then the deletions and freshness were sent.',
  );
  // Time the host's gate sat unused: a gap between two request starts beyond the delay.
  const starts = requests.map((request) => request.at).sort((a, b) => a - b);
  const gaps = starts.slice(1).map((at, index) => at - starts[index]!);
  const idle = gaps.reduce((sum, gap) => sum + Math.max(0, gap - CRAWL_DELAY_S * 1000), 0);
  const longest = gaps.indexOf(Math.max(...gaps));
  console.log(
    `Between requests: ${(idle / 1000).toFixed(2)} s beyond the delay in all; the longest gap, ` +
      `${(gaps[longest]! / 1000).toFixed(2)} s, before request ${longest + 2} (${requests[longest + 1]!.path}).`,
  );
  console.log(
    `Requests: ${requests.filter((request) => request.path === '/robots.txt').length} robots.txt, ` +
      `${requests.filter((request) => request.path.endsWith('.xml')).length} sitemap, ` +
      `${refetched} changed pages, ${goneAsked} gone pages, ` +
      `${requests.length - refetched - goneAsked - 2} other.`,
  );
  console.log(
    `Changed pages refetched: ${refetched}/${changes.changed.length}, re-indexed with their new text: ` +
      `${reindexed}/${changes.changed.length}; gone pages deleted from the index: ` +
      `${changes.gone.length - stillIndexed}/${changes.gone.length}.`,
  );
  const met =
    second.seconds <= 1.1 * ideal &&
    reindexed === changes.changed.length &&
    refetched === changes.changed.length &&
    stillIndexed === 0;
  console.log(
    `Aim (wall time <= 1.1x ideal, every change refetched and re-indexed, every gone page deleted): ${met ? 'met' : 'NOT met'}.`,
  );
} finally {
  server.stdin.end();
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}

/** Changed pages whose indexed document carries their new text. */
async function countReindexed(
  meiliClient: Meilisearch,
  siteOrigin: string,
  changed: SiteChanges['changed'],
): Promise<number> {
  let count = 0;
  for (const { path: pagePath, marker } of changed) {
    const id = documentIdForUrl(`${siteOrigin}${pagePath}`);
    const document = await meiliClient
      .index(INDEX_UID)
      .getDocument<SearchDocument>(id)
      .catch(() => null);
    if (document?.content.includes(marker)) count++;
  }
  return count;
}

/** How many of these URLs the index still holds. */
async function countIndexed(meiliClient: Meilisearch, urls: readonly string[]): Promise<number> {
  let count = 0;
  for (const url of urls) {
    const found = await meiliClient
      .index(INDEX_UID)
      .getDocument(documentIdForUrl(url))
      .then(
        () => true,
        (error: unknown) => {
          // Only "no such document" means deleted; any other failure must not pass for it.
          if ((error as { response?: Response }).response?.status === 404) return false;
          throw error;
        },
      );
    if (found) count++;
  }
  return count;
}

/** The child's stdout, one line at a time. */
function lines(child: ChildProcessByStdio<Writable, Readable, null>): { next: () => Promise<string> } {
  const iterator: AsyncIterator<string, undefined> = createInterface({ input: child.stdout })[
    Symbol.asyncIterator
  ]();
  return {
    next: async () => {
      const result = await iterator.next();
      if (result.done) throw new Error('the site process ended without answering');
      return result.value;
    },
  };
}
