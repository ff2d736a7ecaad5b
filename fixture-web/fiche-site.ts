import type { FichePlacement, FicheSiteSelection } from './fiche-catalog.ts';
import { ficheCatalog, fichesForSite } from './fiche-catalog.ts';
import { fichePageRenderer } from './fiche-page.ts';
import { ficheMetadata } from './fiche-sections.ts';
import { fichesDataDirectory, loadFiche } from './fiche-source.ts';
import { variantTitle } from './fiche-variant.ts';
import type { FixtureResponse, StaticFixtureSite } from './fixture-route.ts';
import { htmlResponse } from './fixture-route.ts';
import { httpDate } from './french-date.ts';
import { DEFAULT_SITE_NAME } from './page-layout.ts';
import type { HubLink } from './site-hub-pages.ts';
import {
  FICHES_PER_THEME,
  renderHomePage,
  renderSommairePage,
  renderThemePage,
  sommairePath,
  THEMES_PER_SOMMAIRE,
  themePath,
} from './site-hub-pages.ts';

export type { FichePlacement, FicheSiteSelection } from './fiche-catalog.ts';
export { ficheCatalog, fichesForSite } from './fiche-catalog.ts';

/** One fiche page of a built site: where it is and what its `<title>`/`<h1>` and description say. */
export interface FicheSitePage extends FichePlacement {
  title: string;
  description: string;
}

/** A built site: its routes, plus the list of fiche pages in site order (for tests and benchmarks). */
export interface FicheSite extends StaticFixtureSite {
  readonly fiches: readonly FicheSitePage[];
}

export interface FicheSiteOptions extends FicheSiteSelection {
  siteName?: string;
  /** Render links to other websites as anchors (off by default: a crawl must stay on the fixture). */
  externalLinks?: boolean;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
  return chunks;
}

/** Renders every fiche page, parsing each fiche's JSON once however many variants it has. */
function renderFichePages(placements: FichePlacement[], options: FicheSiteOptions) {
  const dataDirectory = fichesDataDirectory();
  // A reference to another fiche points at its first page on this site, or stays plain text.
  const hrefById = new Map<string, string>();
  const indexesById = new Map<string, number[]>();
  placements.forEach((placement, index) => {
    if (!hrefById.has(placement.id)) hrefById.set(placement.id, placement.path);
    const indexes = indexesById.get(placement.id) ?? [];
    indexes.push(index);
    indexesById.set(placement.id, indexes);
  });
  const ficheHref = (id: string) => hrefById.get(id);

  const pages: FicheSitePage[] = new Array<FicheSitePage>(placements.length);
  const responses: FixtureResponse[] = new Array<FixtureResponse>(placements.length);
  for (const indexes of indexesById.values()) {
    const first = placements[indexes[0] ?? 0] as FichePlacement;
    const fiche = loadFiche(first.type, first.id, dataDirectory);
    const metadata = ficheMetadata(fiche);
    const lastModified = metadata.date && httpDate(metadata.date.isoDate);
    const renderVariant = fichePageRenderer(fiche, {
      ficheHref,
      ...(options.siteName === undefined ? {} : { siteName: options.siteName }),
      ...(options.externalLinks === undefined ? {} : { externalLinks: options.externalLinks }),
    });
    for (const index of indexes) {
      const placement = placements[index] as FichePlacement;
      const html = renderVariant(placement.variant);
      pages[index] = {
        ...placement,
        title: variantTitle(metadata.title, placement.variant),
        description: metadata.description,
      };
      responses[index] = htmlResponse(html, lastModified ? { 'last-modified': lastModified } : {});
    }
  }
  return { pages, responses };
}

/**
 * A deterministic site of `count` real service-public.fr fiches (sorted by id, see fichesForSite):
 *
 * - `/` links to every `/sommaire/<k>.html` and to the first few fiches;
 * - `/sommaire/<k>.html` lists up to 20 theme pages, `/themes/<n>.html` up to 50 fiche pages;
 * - `/fiches/<ID>.html` (and `/fiches/<ID>-v<k>.html` variants beyond the catalog) are the fiches.
 *
 * Every fiche is three links away from `/`, and every internal link points to a page of the site.
 */
export function buildFicheSite(options: FicheSiteOptions): FicheSite {
  const siteName = options.siteName ?? DEFAULT_SITE_NAME;
  const placements = fichesForSite(options, ficheCatalog(options.type));
  const { pages, responses } = renderFichePages(placements, options);

  const themes = chunk(pages, FICHES_PER_THEME);
  const themeLinks: HubLink[] = themes.map((themePages, index) => ({
    path: themePath(index + 1),
    label: `Thème ${index + 1} : ${themePages[0]?.title ?? ''}…`,
  }));
  // At least one sommaire, because every page's menu links to the first one.
  const sommaires = themeLinks.length > 0 ? chunk(themeLinks, THEMES_PER_SOMMAIRE) : [[]];
  const sommaireLinks: HubLink[] = sommaires.map((_, index) => ({
    path: sommairePath(index + 1),
    label: `Sommaire, page ${index + 1}`,
  }));
  const featured = pages.slice(0, 5).map((page) => ({ path: page.path, label: page.title }));

  const site: StaticFixtureSite = new Map();
  site.set('/', htmlResponse(renderHomePage(siteName, sommaireLinks, featured)));
  sommaires.forEach((themesOfSommaire, index) => {
    const html = renderSommairePage(siteName, index + 1, sommaires.length, themesOfSommaire);
    site.set(sommairePath(index + 1), htmlResponse(html));
  });
  themes.forEach((themePages, index) => {
    const links = themePages.map((page) => ({ path: page.path, label: page.title }));
    site.set(themePath(index + 1), htmlResponse(renderThemePage(siteName, index + 1, themes.length, links)));
  });
  pages.forEach((page, index) => site.set(page.path, responses[index] as FixtureResponse));
  return Object.assign(site, { fiches: pages });
}
