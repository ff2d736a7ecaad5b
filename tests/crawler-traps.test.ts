import { setTimeout as delay } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawPage } from '../core/raw-page.ts';
import type { CrawlReport } from '../crawler/crawl-report.ts';
import { htmlResponse, redirectResponse, textResponse } from '../fixture-web/fixture-route.ts';
import type { FixtureSite } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage } from './builders/town-page.ts';
import { aPdf } from './fixtures/content/minimal-pdf.ts';
import {
  indexedDocuments,
  indexedUrls,
  pageRequests,
  requestsFor,
  searchUrls,
  storedPages,
} from './support/crawl-results.ts';
import { crawlAndIndex, reportOf } from './support/crawl-and-index.ts';
import { tempCrawlStore, testCrawlSettings } from './support/test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';
import { aSiteSource } from './builders/source-builder.ts';

const client = testMeiliClient();
const LATENCY_MS = 60;
const FETCH_TIMEOUT_MS = 1_000;
const MAX_BYTES = 256 * 1024;
const MAX_DECOMPRESSED_BYTES = 2 * 1024 * 1024;
const MAX_RETRIES = 2;
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

const page = (title: string, paragraphs: string[], links: string[] = [], head = '') =>
  htmlResponse(aTownPage({ title, paragraphs, links, head }));

describe('a crawl of a site full of traps', () => {
  const indexUid = uniqueIndexUid('traps');
  let web: ServedSite;
  let partner: ServedSite;
  let outside: ServedSite;
  let storeFile: string;
  let reports: CrawlReport[];
  let mairie: CrawlReport;
  let stored: Map<string, RawPage>;
  const url = (path: string) => web.url(path);
  const errorOf = (path: string) => mairie.errorSamples.find((sample) => sample.url === url(path))?.error;

  beforeAll(async () => {
    // Not on the whitelist: it must never see a request.
    outside = await serveSite(new Map([['/', htmlResponse(aTownPage({ title: 'Site marchand' }))]]));
    // The second trusted source, on another host.
    partner = await serveSite(
      new Map([
        ['/', page('Portail de la communauté de communes', ['Les compétences intercommunales.'])],
        [
          '/accueil-partenaire.html',
          page('Collecte des déchets', ['Le calendrier de collecte des encombrants change en mars.']),
        ],
        ['/redirige.html', page('Piscine intercommunale', ['Horaires de la piscine pendant les vacances.'])],
      ]),
      { latencyMs: LATENCY_MS },
    );

    const site: FixtureSite = new Map();
    web = await serveSite(site, { latencyMs: LATENCY_MS });
    site.set(
      '/robots.txt',
      textResponse(`User-agent: *\nDisallow: /prive/\n\nSitemap: ${web.origin}/sitemap.xml\n`),
    );
    site.set('/sitemap.xml', {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` +
        `<url><loc>${web.origin}/</loc></url><url><loc>${web.origin}/orphelin.html</loc></url></urlset>`,
    });
    site.set(
      '/',
      page(
        'Accueil',
        ['Bienvenue sur le site officiel de la commune de Saint-Exemple.'],
        [
          '/demarches/etat-civil',
          `${outside.origin}/`,
          `/sortie?url=${encodeURIComponent(`${outside.origin}/`)}`,
          '/boucle-a',
          '/ancienne-adresse',
          '/instable.html',
          '/en-panne.html',
          '/lente.html',
          '/enorme.html',
          '/bombe.html',
          '/deliberations-latin1.html',
          '/documents/budget-participatif.pdf',
          '/documents/pv-abime.pdf',
          '/image.html',
          '/recherche.html',
          '/liste-x-robots.html',
          '/impasse.html',
          '/article-imprimable.html',
          '/agenda/fete.html?utm_source=newsletter&utm_medium=email',
          '/agenda/fete.html?fbclid=IwAR0xyz',
          '/agenda/fete.html#programme',
          '/demarches/etat-civil/',
          '/demarches/etat-civil?print=1',
          '/prive/dossier.html',
          '/prive/rh/paie.html',
          '/vers-prive',
          `${partner.origin}/accueil-partenaire.html`,
          '/vers-partenaire',
        ],
      ),
    );
    // Open redirect: the site forwards wherever ?url= says.
    site.set('/sortie', (request) =>
      redirectResponse(new URL(request.path, web.origin).searchParams.get('url') ?? '/', 302),
    );
    site.set('/boucle-a', redirectResponse('/boucle-b', 302));
    site.set('/boucle-b', redirectResponse('/boucle-a', 302));
    site.set('/ancienne-adresse', redirectResponse('/transition', 301));
    site.set('/transition', redirectResponse('/nouvelle-adresse', 301));
    site.set(
      '/nouvelle-adresse',
      page('Plan local d’urbanisme', ['Le plan local d’urbanisme révisé est consultable en mairie.']),
    );
    site.set('/instable.html', ({ attempt }) =>
      attempt === 1
        ? textResponse('Erreur interne', 500)
        : page('Cantine scolaire', ['Les menus de la cantine scolaire du mois de septembre.']),
    );
    site.set('/en-panne.html', textResponse('Erreur interne', 500));
    site.set('/lente.html', async () => {
      await delay(FETCH_TIMEOUT_MS * 3);
      return page('Page trop lente', ['Cette page ne répond jamais à temps.']);
    });
    site.set(
      '/enorme.html',
      page('Rapport d’activité', [
        'Prologue du rapport : les services municipaux en chiffres.',
        ...Array.from(
          { length: 8000 },
          (_, index) => `Ligne ${index} du tableau de bord des services municipaux.`,
        ),
        'Épilogue jamais lu par le robot.',
      ]),
    );
    site.set('/bombe.html', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.concat([Buffer.from('<html><body>'), Buffer.alloc(20 * 1024 * 1024, ' ')])),
    });
    site.set('/deliberations-latin1.html', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=ISO-8859-1' },
      body: Buffer.from(
        aTownPage({
          title: 'Délibérations du conseil municipal',
          paragraphs: ["La délibération n° 2024-17 crée une réserve naturelle au bord de l'étang."],
          charset: 'ISO-8859-1',
        }),
        'latin1',
      ),
    });
    // A PDF cut short by the CMS: not readable, and fetching it again would not change that.
    site.set('/documents/pv-abime.pdf', {
      status: 200,
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n%%EOF'),
    });
    site.set('/documents/budget-participatif.pdf', {
      status: 200,
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(
        aPdf({
          title: 'Budget participatif 2024',
          pages: [['Budget participatif 2024', 'Projet lauréat : aménagement des berges du canal.']],
        }),
      ),
    });
    site.set('/image.html', { status: 200, headers: { 'content-type': 'text/html' }, body: PNG });
    site.set(
      '/recherche.html',
      page(
        'Résultats de recherche',
        ['Résultats de la recherche interne du site.'],
        ['/trouvee-via-noindex.html'],
        '<meta name="robots" content="noindex">',
      ),
    );
    site.set(
      '/trouvee-via-noindex.html',
      page('Marché de Noël', ['Le marché de Noël se tient sur la place du village.']),
    );
    site.set('/liste-x-robots.html', {
      ...page(
        'Liste des associations',
        ['Annuaire des associations locales.'],
        ['/trouvee-via-x-robots.html'],
      ),
      headers: { 'content-type': 'text/html; charset=utf-8', 'x-robots-tag': 'noindex' },
    });
    site.set(
      '/trouvee-via-x-robots.html',
      page('Club de randonnée', ['Le club de randonnée organise une sortie chaque dimanche.']),
    );
    site.set(
      '/impasse.html',
      page(
        'Archives techniques',
        ['Pages techniques à ne pas suivre.'],
        ['/jamais-suivie.html'],
        '<meta name="robots" content="noindex, nofollow">',
      ),
    );
    site.set('/jamais-suivie.html', page('Jamais suivie', ['Cette page ne doit pas être visitée.']));
    const article = ['Les travaux de réfection de la voirie commencent lundi rue des Écoles.'];
    site.set(
      '/article-imprimable.html',
      page('Travaux de voirie', article, [], `<link rel="canonical" href="${web.origin}/article.html">`),
    );
    site.set('/article.html', page('Travaux de voirie', article));
    site.set('/agenda/fete.html', page('Fête de la musique', ['Concerts gratuits le 21 juin au kiosque.']));
    site.set(
      '/demarches/etat-civil',
      page('État civil', ['Demander un acte de naissance, de mariage ou de décès auprès du service.']),
    );
    site.set('/demarches/etat-civil/', site.get('/demarches/etat-civil')!);
    site.set('/prive/dossier.html', page('Dossier privé', ['Réservé aux agents.']));
    site.set('/prive/rh/paie.html', page('Paie', ['Réservé aux agents.']));
    site.set('/prive/secret.html', page('Secret', ['Réservé aux agents.']));
    site.set('/vers-prive', redirectResponse('/prive/secret.html', 302));
    site.set('/vers-partenaire', redirectResponse(`${partner.origin}/redirige.html`, 302));
    site.set('/orphelin.html', page('Élections municipales', ['Les bureaux de vote ouvrent à 8 heures.']));

    const sources = [
      aSiteSource('mairie', web, { requestsPerSecond: 20 }),
      aSiteSource('partenaire', partner),
    ];
    const { store, file } = await tempCrawlStore();
    storeFile = file;
    reports = await crawlAndIndex({
      sources,
      store,
      indexUid,
      settings: testCrawlSettings({
        maxRetries: MAX_RETRIES,
        fetchLimits: {
          totalTimeoutMs: FETCH_TIMEOUT_MS,
          maxBytes: MAX_BYTES,
          maxDecompressedBytes: MAX_DECOMPRESSED_BYTES,
          maxRedirects: 5,
        },
      }),
    });
    store.close();
    mairie = reportOf(reports, 'mairie');
    stored = storedPages(storeFile);
  });

  afterAll(async () => {
    await Promise.all([web?.close(), partner?.close(), outside?.close()]);
  });

  it('indexes exactly the indexable pages, each once, under its own source', async () => {
    expect(await indexedUrls(client, indexUid, 'mairie')).toEqual(
      [
        '/',
        '/agenda/fete.html',
        '/article.html',
        '/deliberations-latin1.html',
        '/demarches/etat-civil',
        '/documents/budget-participatif.pdf',
        '/enorme.html',
        '/instable.html',
        '/nouvelle-adresse',
        '/orphelin.html',
        '/trouvee-via-noindex.html',
        '/trouvee-via-x-robots.html',
      ]
        .map(url)
        .sort(),
    );
    expect(await indexedUrls(client, indexUid, 'partenaire')).toEqual(
      ['/', '/accueil-partenaire.html', '/redirige.html'].map((path) => partner.url(path)).sort(),
    );
    expect((await indexedDocuments(client, indexUid)).length).toBe(15);
  });

  it('counts every trap in the report', () => {
    expect(mairie).toMatchObject({
      new: 12,
      changed: 0,
      unchanged: 0,
      deleted: 0,
      incomplete: null,
      skipped: {
        outOfScope: 2, // the direct link to the outside site, and the open redirect to it
        robots: 3, // two links under /prive/, one redirect into it
        noindex: 3, // meta robots, X-Robots-Tag, meta noindex+nofollow
        type: 1, // the PNG behind a .html URL
        duplicate: 4, // the canonical alias, two twins, the redirect to the partner's host
        maxPages: 0,
      },
      errors: { 'redirect-loop': 1, 'http-500': 1, timeout: 1, 'too-large': 1, pdf_extraction: 1 },
    });
    expect(reportOf(reports, 'partenaire')).toMatchObject({
      new: 3,
      errors: {},
      skipped: { outOfScope: 0, robots: 0, noindex: 0, type: 0, duplicate: 0, maxPages: 0 },
    });
  });

  it('counts as fetched exactly the requests the site received', () => {
    expect(mairie.fetched).toBe(web.requests.length);
    expect(reportOf(reports, 'partenaire').fetched).toBe(partner.requests.length);
  });

  it('never sends a request outside the whitelist, linked or through an open redirect', () => {
    expect(outside.requests).toEqual([]);
    expect(requestsFor(web, '/sortie', { anyQuery: true })).toHaveLength(1);
  });

  it('stops a redirect loop without indexing anything', () => {
    expect(requestsFor(web, '/boucle-a')).toHaveLength(1);
    expect(requestsFor(web, '/boucle-b')).toHaveLength(1);
    expect(errorOf('/boucle-a')).toMatch(/^redirect-loop: /);
  });

  it('follows a redirect chain that stays in scope and indexes the final URL', () => {
    expect(stored.get(url('/nouvelle-adresse'))?.title).toBe('Plan local d’urbanisme');
    for (const path of ['/ancienne-adresse', '/transition', '/nouvelle-adresse'])
      expect(requestsFor(web, path)).toHaveLength(1);
  });

  it('retries a page that fails once and indexes it', () => {
    expect(requestsFor(web, '/instable.html')).toHaveLength(2);
    expect(stored.get(url('/instable.html'))?.text).toContain('menus de la cantine');
  });

  it('gives up on a page that always fails after maxRetries retries, and reports it', () => {
    expect(requestsFor(web, '/en-panne.html')).toHaveLength(1 + MAX_RETRIES);
    expect(errorOf('/en-panne.html')).toBe('http-500: HTTP 500');
  });

  it('records a damaged PDF as an error after one request, without retrying it', () => {
    expect(requestsFor(web, '/documents/pv-abime.pdf')).toHaveLength(1);
    expect(errorOf('/documents/pv-abime.pdf')).toMatch(/^pdf_extraction: Cannot extract text from PDF/);
  });

  it('times out a page slower than the fetch timeout, retries it, then reports it', () => {
    expect(requestsFor(web, '/lente.html')).toHaveLength(1 + MAX_RETRIES);
    expect(errorOf('/lente.html')).toMatch(/^timeout: /);
  });

  it('indexes the beginning of a page larger than maxBytes', async () => {
    const huge = stored.get(url('/enorme.html'))!;
    expect(huge.text).toContain('Prologue du rapport');
    expect(huge.text).not.toContain('Épilogue');
    expect(await searchUrls(client, indexUid, 'Prologue')).toEqual([url('/enorme.html')]);
  });

  it('refuses a gzip bomb without retrying it', () => {
    expect(requestsFor(web, '/bombe.html')).toHaveLength(1);
    expect(errorOf('/bombe.html')).toMatch(/^too-large: /);
  });

  it('decodes an ISO-8859-1 page so that its accented words are found', async () => {
    expect(await searchUrls(client, indexUid, 'délibération')).toEqual([url('/deliberations-latin1.html')]);
    const document = (await indexedDocuments(client, indexUid)).find(
      (candidate) => candidate.url === url('/deliberations-latin1.html'),
    );
    expect(document?.title).toBe('Délibérations du conseil municipal');
    expect(document?.content).toContain(
      "La délibération n° 2024-17 crée une réserve naturelle au bord de l'étang.",
    );
  });

  it('indexes a PDF as a document whose text is searchable', async () => {
    expect(stored.get(url('/documents/budget-participatif.pdf'))).toMatchObject({
      title: 'Budget participatif 2024',
      pageType: 'document',
    });
    expect(await searchUrls(client, indexUid, 'berges du canal')).toEqual([
      url('/documents/budget-participatif.pdf'),
    ]);
  });

  it('skips an image served behind a .html URL', () => {
    expect(requestsFor(web, '/image.html')).toHaveLength(1);
    expect(stored.has(url('/image.html'))).toBe(false);
  });

  it('does not index noindex pages but follows their links, unless nofollow', () => {
    expect(stored.has(url('/recherche.html'))).toBe(false);
    expect(stored.has(url('/liste-x-robots.html'))).toBe(false);
    expect(stored.has(url('/impasse.html'))).toBe(false);
    expect(stored.has(url('/trouvee-via-noindex.html'))).toBe(true);
    expect(stored.has(url('/trouvee-via-x-robots.html'))).toBe(true);
    expect(requestsFor(web, '/jamais-suivie.html')).toEqual([]);
  });

  it('indexes a page once, under the canonical URL it declares', () => {
    expect(stored.has(url('/article-imprimable.html'))).toBe(false);
    expect(stored.get(url('/article.html'))?.title).toBe('Travaux de voirie');
  });

  it('requests a page linked with tracking parameters once, and indexes it without them', () => {
    expect(requestsFor(web, '/agenda/fete.html', { anyQuery: true }).map((request) => request.path)).toEqual([
      '/agenda/fete.html',
    ]);
  });

  it('indexes twins with the same content once, under the URL linked first', () => {
    expect(requestsFor(web, '/demarches/etat-civil/')).toHaveLength(1);
    expect(requestsFor(web, '/demarches/etat-civil?print=1')).toHaveLength(1);
    expect([...stored.keys()].filter((key) => key.includes('/demarches/'))).toEqual([
      url('/demarches/etat-civil'),
    ]);
  });

  it('never requests what robots.txt disallows, linked or redirected to', () => {
    expect(web.requests.filter((request) => request.path.startsWith('/prive/'))).toEqual([]);
    expect(requestsFor(web, '/vers-prive')).toHaveLength(1);
  });

  it('indexes a page only the sitemap lists', () => {
    expect(stored.get(url('/orphelin.html'))?.title).toBe('Élections municipales');
  });

  it('crawls a link to another trusted source under that source, on its own host', () => {
    expect(stored.get(partner.url('/accueil-partenaire.html'))?.sourceId).toBe('partenaire');
    expect(stored.get(partner.url('/redirige.html'))?.sourceId).toBe('partenaire');
    expect(requestsFor(partner, '/redirige.html')).toHaveLength(1);
    expect(requestsFor(partner, '/robots.txt')).toHaveLength(1);
  });

  it('never has more requests in flight to the host than its maxConcurrency', () => {
    const host = new URL(web.origin).host;
    expect(web.maxInFlightByHost.get(host)).toBe(2);
    expect(pageRequests(web).length).toBeGreaterThan(30);
  });
});

describe('the pace of a crawl', () => {
  const smallSite = (head: Record<string, string> = {}): FixtureSite =>
    new Map([
      ...Object.entries(head).map(([path, body]) => [path, textResponse(body)] as const),
      ['/', page('Accueil', ['Accueil du site.'], ['/a.html', '/b.html', '/c.html'])],
      ['/a.html', page('Page A', ['Première page du site.'])],
      ['/b.html', page('Page B', ['Deuxième page du site.'])],
      ['/c.html', page('Page C', ['Troisième page du site.'])],
    ]);
  const startGaps = (site: ServedSite) => {
    const starts = pageRequests(site).map((request) => request.at);
    return starts.slice(1).map((at, index) => at - starts[index]!);
  };

  it('starts at most 2 requests per second on a host by default', async () => {
    const site = await serveSite(smallSite(), { latencyMs: 20 });
    const { store } = await tempCrawlStore();
    await crawlAndIndex({ sources: [aSiteSource('lente', site)], store, indexUid: uniqueIndexUid('pace') });
    store.close();
    await site.close();
    expect(pageRequests(site)).toHaveLength(4);
    for (const gap of startGaps(site)) expect(gap).toBeGreaterThanOrEqual(450);
  });

  it('waits the Crawl-delay of robots.txt between requests, even when the source allows more', async () => {
    const site = await serveSite(smallSite({ '/robots.txt': 'User-agent: *\nCrawl-delay: 1\n' }));
    const { store } = await tempCrawlStore();
    await crawlAndIndex({
      sources: [aSiteSource('prudente', site, { requestsPerSecond: 20 })],
      store,
      indexUid: uniqueIndexUid('crawl-delay'),
    });
    store.close();
    await site.close();
    expect(pageRequests(site)).toHaveLength(4);
    for (const gap of startGaps(site)) expect(gap).toBeGreaterThanOrEqual(950);
  });
});
