import { describe, expect, it } from 'vitest';
import { type Source, SourceSchema } from '../core/source.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import type { FixtureSite } from '../fixture-web/fixture-route.ts';
import type { ServedSite } from '../fixture-web/site-server.ts';
import { aTownPage, type TownPageSpec } from './builders/town-page.ts';
import { crawlAndIndex } from './support/crawl-and-index.ts';
import { requestsFor } from './support/crawl-results.ts';
import { hostsFile } from './support/hosts-file.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';
import { servedPerTest } from './support/served-sites.ts';

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

const serve = servedPerTest();

/** Crawls the sources into a fresh store and index, as `npm run crawl` would. */
async function crawl(sources: Source[], settings = testCrawlSettings()) {
  const { store } = await tempCrawlStore();
  try {
    return await crawlAndIndex({ sources, store, indexUid: uniqueIndexUid('scope'), settings });
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

describe('robots.txt and sitemaps of a source whose include globs leave them out', () => {
  const news = { include: ['/actualites/**'] };
  const pathsRequested = (site: ServedSite) => site.requests.map((request) => request.path);

  it('reads robots.txt and never requests a page it disallows', async () => {
    const web = await serve(
      new Map([
        ['/robots.txt', textResponse('User-agent: *\nDisallow: /actualites/prive/\n')],
        [
          '/actualites/',
          page({
            title: 'Actualités',
            links: ['/actualites/prive/secret.html', '/actualites/plan-velo.html'],
          }),
        ],
        ['/actualites/prive/secret.html', page({ title: 'Réservé aux agents' })],
        ['/actualites/plan-velo.html', page({ title: 'Plan vélo' })],
      ]),
    );
    await crawl([townSource(`${web.origin}/actualites/`, news)]);

    expect(requestsFor(web, '/robots.txt')).toHaveLength(1);
    expect(pathsRequested(web).filter((path) => path.startsWith('/actualites/prive/'))).toEqual([]);
    expect(requestsFor(web, '/actualites/plan-velo.html')).toHaveLength(1);
  });

  it('reads the sitemap and crawls only the pages it lists inside the include globs', async () => {
    const site: FixtureSite = new Map();
    const web = await serve(site);
    site.set('/robots.txt', textResponse(`User-agent: *\nSitemap: ${web.origin}/plan-du-site.xml\n`));
    site.set('/plan-du-site.xml', {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body:
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' +
        `<url><loc>${web.origin}/actualites/orpheline.html</loc></url>` +
        `<url><loc>${web.origin}/agenda/fete.html</loc></url></urlset>`,
    });
    site.set('/actualites/', page({ title: 'Actualités' }));
    site.set('/actualites/orpheline.html', page({ title: 'Élections' }));
    site.set('/agenda/fete.html', page({ title: 'Fête' }));
    await crawl([townSource(`${web.origin}/actualites/`, news)]);

    expect(requestsFor(web, '/plan-du-site.xml')).toHaveLength(1);
    expect(requestsFor(web, '/actualites/orpheline.html')).toHaveLength(1);
    expect(requestsFor(web, '/agenda/fete.html')).toEqual([]);
  });

  it('follows a robots.txt that redirects from the www host to the same site without www, and honours it', async () => {
    const site: FixtureSite = new Map();
    const web = await serve(site);
    const port = new URL(web.origin).port;
    site.set('/robots.txt', ({ headers }) =>
      headers.host?.startsWith('www.')
        ? redirectResponse(`http://mairie.test:${port}/robots.txt`, 301)
        : textResponse('User-agent: *\nDisallow: /prive/\n'),
    );
    site.set('/', page({ title: 'Accueil', links: ['/prive/secret.html', '/public.html'] }));
    site.set('/prive/secret.html', page({ title: 'Réservé aux agents' }));
    site.set('/public.html', page({ title: 'Public' }));
    const dns = hostsFile({ 'www.mairie.test': '127.0.0.1', 'mairie.test': '127.0.0.1' });
    await crawl(
      [townSource(`http://www.mairie.test:${port}/`, {})],
      testCrawlSettings({ lookupHost: dns.lookupHost }),
    );

    expect(requestsFor(web, '/robots.txt').map((request) => request.headers.host)).toEqual([
      `www.mairie.test:${port}`,
      `mairie.test:${port}`,
    ]);
    expect(pathsRequested(web).filter((path) => path.startsWith('/prive/'))).toEqual([]);
    expect(requestsFor(web, '/public.html')).toHaveLength(1);
  });
});
