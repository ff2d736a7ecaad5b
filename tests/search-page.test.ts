import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzippedSize } from '../api/browser-assets.ts';
import { RateLimiter } from '../api/rate-limiter.ts';
import { anApp, testBrowserAssets } from './builders/app-builder.ts';
import { crawlSearchPageWeb, type SearchPageWeb } from './support/search-page-web.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const indexUid = uniqueIndexUid('search-page');
let web: SearchPageWeb;
let app: Awaited<ReturnType<typeof anApp>>;

beforeAll(async () => {
  web = await crawlSearchPageWeb(indexUid);
  app = await anApp(testMeiliClient(), indexUid, { sources: web.sources });
}, 300_000);
afterAll(() => web.close());

/** The page's HTML for a URL, with its status. */
async function page(url: string): Promise<{ status: number; html: string; response: Response }> {
  const response = await app.request(url);
  return { status: response.status, html: await response.text(), response };
}
/** The visible text of an HTML fragment, roughly: tags out, entities of the page decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const resultsOf = (html: string) => /<ol class="hits"[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';

describe('the search page at /', () => {
  it('welcomes an official with a search box instead of a JSON 404', async () => {
    const { status, html, response } = await page('/');
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toMatch(/^<!DOCTYPE html><html lang="fr">/);
    expect(html).toContain('<label for="q" class="searchbar-label">Rechercher</label>');
  });

  it('shows each result with its snippet, its provenance and a link to the original page', async () => {
    const { html } = await page('/?q=cantine');
    const results = resultsOf(html);
    expect(results).toContain(
      `<a href="${web.frontignan.url('/cantine-bio')}">Cantine scolaire : des repas bio et locaux</a>`,
    );
    expect(textOf(results)).toContain('Ville de Frontignan (Collectivité) · Frontignan (commune) · lu le');
    expect(results).toContain('<mark>cantine</mark>');
    expect(textOf(html)).toMatch(/\d+ résultats/);
  });

  it("shows a funded project's commune, year, scheme, cost and grant", async () => {
    const { html } = await page('/?q=cantine&type=projet');
    expect(textOf(resultsOf(html))).toContain(
      'Projet porté par COMMUNE DE CHEZERY-FORENS · 2024 · DETR · coût 212\u202f485\u00a0€ · subvention 56\u202f869\u00a0€',
    );
    // A dataset gives a project's year, not a day: no "published on 1 January" made up from it.
    expect(textOf(resultsOf(html))).not.toMatch(/publié le 1 janvier/);
  });

  it("keeps the search in its URL with the API's parameter names, for links, pages and the feed", async () => {
    const { html } = await page('/?q=ecole&type=projet&scheme=DETR&hitsPerPage=5&page=2');
    expect(html).toContain('<input type="checkbox" name="scheme" value="DETR" form="search" checked=""/>');
    expect(html).toContain(
      'href="/?q=ecole&amp;type=projet&amp;scheme=DETR&amp;hitsPerPage=5&amp;page=3" rel="next"',
    );
    expect(html).toContain('href="/?q=ecole&amp;type=projet&amp;scheme=DETR&amp;hitsPerPage=5" rel="prev"');
    expect(html).toContain(
      '<a href="/?q=ecole&amp;type=projet&amp;scheme=DETR&amp;hitsPerPage=5&amp;page=2" aria-current="page">2</a>',
    );
    expect(html).toContain('href="/v1/search.atom?q=ecole&amp;type=projet&amp;scheme=DETR"');
    // A form's checkboxes send a list as repeated names: the page reads them as the API's comma list.
    const repeated = await page('/?q=cantine&kind=etat&kind=collectivite');
    expect(repeated.html).toContain(
      '<input type="checkbox" name="kind" value="etat" form="search" checked=""/>',
    );
    expect(repeated.html).toContain(
      '<input type="checkbox" name="kind" value="collectivite" form="search" checked=""/>',
    );
  });

  it('applies a territory typed by name with a redirect to territory=…, and offers a choice when names repeat', async () => {
    const typed = await page('/?q=cantine&where=H%C3%A9rault');
    expect(typed.status).toBe(302);
    expect(typed.response.headers.get('location')).toBe('/?q=cantine&territory=departement%3A34');
    const { html } = await page('/?q=cantine&territory=departement:34');
    expect(textOf(html)).toContain('Hérault (département) retirer');
    expect(resultsOf(html)).not.toContain('Tarbes');
    const paris = await page('/?q=cantine&where=Paris');
    expect(paris.status).toBe(200);
    expect(textOf(paris.html)).toContain('Quel territoire ?');
    expect(paris.html).toContain('href="/?q=cantine&amp;territory=departement%3A75"');
  });

  it('shows what towns like my commune did, in my département or my région', async () => {
    const typed = await page('/?q=ecole&commune=Bettant');
    expect(typed.response.headers.get('location')).toBe('/?q=ecole&like=commune%3A01041');
    const { html } = await page('/?q=ecole&like=commune:01041');
    expect(textOf(html)).toContain('Communes comme Bettant (Moins de 2\u202f000 habitants), dans Ain');
    expect(html).toContain('href="/?q=ecole&amp;like=commune%3A01041&amp;likeArea=region"');
    expect(resultsOf(html)).toContain('(commune)');
    expect(textOf(resultsOf(html))).not.toContain('COMMUNE DE BETTANT');
  });

  it('says when nothing is found, offers the nearest spelling and each filter to remove', async () => {
    const misspelt = await page('/?q=piscne');
    expect(textOf(misspelt.html)).toContain('Aucun résultat pour cette recherche.');
    expect(misspelt.html).toContain('<a href="/?q=piscine" class="suggestion">piscine</a>');
    const filtered = await page('/?q=piscine&territory=departement:34&kind=etat');
    expect(textOf(filtered.html)).toContain('1 résultat sans les filtres');
    expect(filtered.html).toContain('href="/?q=piscine&amp;kind=etat">Territoire : Hérault — retirer</a>');
    expect(filtered.html).toContain(
      'href="/?q=piscine&amp;territory=departement%3A34">Type de source : État — retirer</a>',
    );
  });

  it('escapes every value from a crawled page, under a policy that allows no inline script', async () => {
    const { html, response } = await page('/?q=cantine&territory=commune:34108');
    expect(html).toContain(
      'Cantine &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; et &lt;script&gt;',
    );
    expect(html).not.toMatch(/<img|<iframe|<script>window|<b onmouseover/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('is available in English', async () => {
    const { html } = await page('/?q=cantine&hl=en');
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(textOf(html)).toMatch(/\d+ results/);
    expect(html).toContain('<input type="hidden" name="hl" value="en"/>');
    expect(html).toContain('href="/?q=cantine" hreflang="fr" lang="fr">Français</a>');
  });

  it('answers a wrong parameter with a page that names it', async () => {
    const { status, html } = await page('/?q=cantine&cost=beaucoup&theme=cuisine');
    expect(status).toBe(400);
    expect(textOf(html)).toContain('Cette recherche contient un paramètre incorrect');
    expect(html).toContain('<code>cost</code>');
    const unknown = await page('/?q=cantine&theme=cuisine');
    expect(unknown.status).toBe(400);
    expect(textOf(unknown.html)).toContain("theme : unknown theme 'cuisine'");
  });
});

describe('the search page under load', () => {
  it('counts its searches against the visitor’s allowance, and says when to retry', async () => {
    const limited = await anApp(testMeiliClient(), indexUid, {
      sources: web.sources,
      rateLimiter: new RateLimiter({ perMinute: 1, now: () => 0 }),
    });
    expect((await limited.request('/?q=cantine')).status).toBe(200);
    const refused = await limited.request('/?q=piscine');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(textOf(await refused.text())).toContain('Trop de recherches depuis cette adresse');
  });
});

describe('the widget script', () => {
  it('is served at /widget.js for any site to load, under 30 KB gzipped', async () => {
    const response = await app.request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const size = gzippedSize((await testBrowserAssets()).widgetJs);
    console.log(`widget.js: ${(size / 1024).toFixed(1)} KB gzipped`);
    expect(size).toBeLessThan(30 * 1024);
  });
});
