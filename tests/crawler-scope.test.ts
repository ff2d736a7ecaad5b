import { afterEach, describe, expect, it } from 'vitest';
import { type Source, SourceSchema } from '../core/source.ts';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import type { FixtureSite } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage, type TownPageSpec } from './builders/town-page.ts';
import { crawlAndIndex } from './support/crawl-and-index.ts';
import { requestsFor } from './support/crawl-results.ts';
import { tempCrawlStore } from './support/test-crawl.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const page = (spec: TownPageSpec) => htmlResponse(aTownPage(spec));

function townSource(url: string, crawl: Record<string, unknown>): Source {
  return SourceSchema.parse({
    id: 'mairie',
    name: 'Mairie',
    kind: 'collectivite',
    url,
    territory: 'national',
    crawl: { requestsPerSecond: 50, ...crawl },
  });
}

const servedSites: ServedSite[] = [];
async function serve(site: FixtureSite): Promise<ServedSite> {
  const served = await serveSite(site);
  servedSites.push(served);
  return served;
}
afterEach(async () => {
  await Promise.all(servedSites.splice(0).map((site) => site.close()));
});

/** Crawls the sources into a fresh store and index, as `npm run crawl` would. */
async function crawl(sources: Source[]) {
  const { store } = await tempCrawlStore();
  try {
    return await crawlAndIndex({ sources, store, indexUid: uniqueIndexUid('scope') });
  } finally {
    store.close();
  }
}

describe('the exclude globs of a source during a crawl', () => {
  it('never requests an excluded page linked under another spelling of its path', async () => {
    const web = await serve(
      new Map([
        [
          '/',
          page({
            title: 'Accueil',
            links: [
              '/actualites/%61rchives/x.html',
              '/actualites/ARCHIVES/y.html',
              '/actualites//archives/z.html',
              '/actualites%2Farchives%2Fw.html',
              '/actualites/plan-velo.html',
            ],
          }),
        ],
        ['/actualites/plan-velo.html', page({ title: 'Plan vélo' })],
      ]),
    );
    await crawl([townSource(`${web.origin}/`, { exclude: ['/actualites/archives/**'] })]);

    const archives = web.requests.filter((request) =>
      decodeURIComponent(request.path).toLowerCase().replace(/\/+/g, '/').startsWith('/actualites/archives'),
    );
    expect(archives).toEqual([]);
    expect(requestsFor(web, '/actualites/plan-velo.html')).toHaveLength(1);
  });
});
