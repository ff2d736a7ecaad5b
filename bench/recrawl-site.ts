/**
 * The site `npm run bench:recrawl` crawls twice: a generated fiche site whose sitemap lists every
 * page with a lastmod, as a CMS publishes it. `changeSite` then makes of it what a day later looks
 * like: 1 % of the fiches rewritten (new text, new Last-Modified, their lastmod moved), 1 % gone (404,
 * dropped from the sitemap but still linked from their theme page), and robots.txt asking for
 * `Crawl-delay: 1`.
 */
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import type { FixtureResponse, FixtureSite } from '../fixture-web/fixture-route.ts';
import { textResponse } from '../fixture-web/fixture-route.ts';

/** When every page was last modified, as the first sitemap says. */
const FIRST_LASTMOD = '2025-06-02T08:00:00Z';

export interface RecrawlSite {
  readonly site: FixtureSite;
  /** The fiche pages' paths, in site order. */
  readonly fichePaths: readonly string[];
  /** Each page's lastmod in the sitemap, read on every request of it. */
  readonly lastmods: Map<string, string>;
}

export interface SiteChanges {
  /** Rewritten pages, each with a word found on that page only, to look it up in the index. */
  changed: { path: string; marker: string }[];
  gone: string[];
}

export function buildRecrawlSite(pages: number, origin: () => string): RecrawlSite {
  const built = buildFicheSite({ count: pages });
  const site: FixtureSite = new Map(built);
  const lastmods = new Map([...built.keys()].map((path) => [path, FIRST_LASTMOD]));
  site.set('/robots.txt', textResponse('User-agent: *\nSitemap: /sitemap.xml\n'));
  site.set('/sitemap.xml', () => sitemap(origin(), lastmods));
  return { site, fichePaths: built.fiches.map((fiche) => fiche.path), lastmods };
}

/** Rewrites one fiche in a hundred and removes another, as of `now`; asks for `Crawl-delay: 1`. */
export function changeSite(recrawl: RecrawlSite, now: Date): SiteChanges {
  const { site, fichePaths, lastmods } = recrawl;
  const changes: SiteChanges = { changed: [], gone: [] };
  fichePaths.forEach((path, index) => {
    if (index % 100 === 17) {
      const marker = `recrawlmaj${index}`;
      site.set(path, rewritten(site.get(path) as FixtureResponse, marker, now));
      lastmods.set(path, now.toISOString());
      changes.changed.push({ path, marker });
    } else if (index % 100 === 59) {
      site.delete(path);
      lastmods.delete(path);
      changes.gone.push(path);
    }
  });
  site.set('/robots.txt', textResponse('User-agent: *\nCrawl-delay: 1\nSitemap: /sitemap.xml\n'));
  return changes;
}

function rewritten(page: FixtureResponse, marker: string, now: Date): FixtureResponse {
  const update = `<p>Mise à jour du ${now.toISOString().slice(0, 10)} (${marker}) : les montants ont été revalorisés.</p>`;
  return {
    ...page,
    headers: { ...page.headers, 'last-modified': now.toUTCString() },
    // At the top: a document keeps the first 20,000 characters of a page's text.
    body: String(page.body).replace('</h1>', `</h1>\n${update}`),
  };
}

function sitemap(origin: string, lastmods: ReadonlyMap<string, string>): FixtureResponse {
  const urls = [...lastmods].map(
    ([path, lastmod]) => `<url><loc>${origin}${path}</loc><lastmod>${lastmod}</lastmod></url>`,
  );
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`,
  };
}
