/**
 * One measured crawl, in a fresh process (so peak RSS is this crawl's alone). Modes:
 * - `project`: the real crawler (crawlSources) into a fresh crawl store, politeness lifted;
 * - `baseline`: the minimal loop the issue compares against: fetch + cheerio (htmlparser2) + link
 *   extraction under p-limit, no state, no extraction beyond links.
 * Prints one JSON line: { mode, pages, seconds, maxRssMb }.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load } from 'cheerio/slim';
import pLimit from 'p-limit';
import { silentLogger } from '../core/logger.ts';
import { SourceSchema } from '../core/source.ts';
import { defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { crawlSources } from '../crawler/crawl-sources.ts';
import { CrawlStore } from '../store/crawl-store.ts';

const [mode, origin, concurrencyArgument] = process.argv.slice(2);
const concurrency = Number(concurrencyArgument ?? 50);
if (!origin || (mode !== 'project' && mode !== 'baseline'))
  throw new Error('usage: MODE ORIGIN [CONCURRENCY]');

const started = performance.now();
const pages = mode === 'project' ? await crawlWithProject(origin) : await crawlWithBaseline(origin);
const seconds = (performance.now() - started) / 1000;
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, pages, seconds, maxRssMb }));

async function crawlWithProject(start: string): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pas-bench-crawl-'));
  const store = CrawlStore.open(path.join(dir, 'crawl.sqlite'));
  const source = SourceSchema.parse({
    id: 'bench',
    name: 'Bench',
    kind: 'etat',
    url: `${start}/`,
    territory: 'national',
    crawl: { maxPages: 1_000_000 },
  });
  const [report] = await crawlSources({
    sources: [source],
    store,
    settings: {
      ...defaultCrawlSettings('pas-bench'),
      globalConcurrency: concurrency,
      allowPrivateNetworks: true,
      liftPoliteness: true,
    },
    log: silentLogger(),
  });
  store.close();
  await rm(dir, { recursive: true, force: true });
  return report!.new + report!.changed + report!.unchanged;
}

async function crawlWithBaseline(start: string): Promise<number> {
  const limit = pLimit(concurrency);
  const seen = new Set<string>([`${start}/`]);
  const pending = new Set<Promise<void>>();
  let fetched = 0;
  // Children are scheduled, not awaited, inside a slot: a slot waiting for its children would
  // deadlock the pool once every slot is such a parent.
  const schedule = (url: string) => {
    const task: Promise<void> = limit(() => visit(url)).finally(() => pending.delete(task));
    pending.add(task);
  };
  const visit = async (url: string): Promise<void> => {
    const response = await fetch(url);
    const html = await response.text();
    fetched++;
    const $ = load(html);
    $('a[href]').each((_, anchor) => {
      const href = $(anchor).attr('href');
      if (!href || !URL.canParse(href, url)) return;
      const link = new URL(href, url);
      link.hash = '';
      if (link.origin === start && !seen.has(link.href)) {
        seen.add(link.href);
        schedule(link.href);
      }
    });
  };
  schedule(`${start}/`);
  while (pending.size > 0) await Promise.all([...pending]);
  return fetched;
}
