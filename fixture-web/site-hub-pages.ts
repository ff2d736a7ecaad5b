import { escapeAttribute, escapeHtml } from './html-escape.ts';
import { renderSitePage } from './page-layout.ts';

/**
 * Listing pages that make every fiche reachable from `/` in three hops, like a real site's plan:
 * home → sommaire (≤ 20 themes) → theme (≤ 50 fiches) → fiche. At 20,000 fiches that is 400 theme
 * pages under 20 sommaires, so no page carries an unreasonable number of links.
 */
export const FICHES_PER_THEME = 50;
export const THEMES_PER_SOMMAIRE = 20;

export function themePath(themeNumber: number): string {
  return `/themes/${themeNumber}.html`;
}

export function sommairePath(sommaireNumber: number): string {
  return `/sommaire/${sommaireNumber}.html`;
}

/** A link on a listing page. */
export interface HubLink {
  path: string;
  label: string;
}

function linkList(links: HubLink[]): string {
  const items = links.map(
    (link) => `<li><a href="${escapeAttribute(link.path)}">${escapeHtml(link.label)}</a></li>`,
  );
  return `<ul>\n${items.join('\n')}\n</ul>`;
}

/** "Page précédente / suivante" between consecutive listing pages of the same kind. */
function pager(current: number, total: number, pathOf: (n: number) => string): string {
  const links: string[] = [];
  if (current > 1) links.push(`<a rel="prev" href="${pathOf(current - 1)}">Page précédente</a>`);
  if (current < total) links.push(`<a rel="next" href="${pathOf(current + 1)}">Page suivante</a>`);
  return links.length > 0 ? `<nav class="pagination" aria-label="Pagination">${links.join(' ')}</nav>` : '';
}

export function renderHomePage(siteName: string, sommaires: HubLink[], featured: HubLink[]): string {
  return renderSitePage({
    siteName,
    title: `Accueil | ${siteName}`,
    description: 'Vos droits et démarches : fiches pratiques, questions-réponses et services en ligne.',
    mainHtml: [
      `<h1>Bienvenue sur ${escapeHtml(siteName)}</h1>`,
      `<p>Retrouvez l'information officielle sur vos droits et démarches, classée par thème.</p>`,
      `<section>\n<h2>Tous les thèmes</h2>\n${linkList(sommaires)}\n</section>`,
      `<section id="services">\n<h2>À la une</h2>\n${linkList(featured)}\n</section>`,
    ].join('\n'),
  });
}

export function renderSommairePage(
  siteName: string,
  sommaireNumber: number,
  sommaireCount: number,
  themes: HubLink[],
): string {
  return renderSitePage({
    siteName,
    title: `Sommaire, page ${sommaireNumber} | ${siteName}`,
    description: `Plan du site, page ${sommaireNumber} sur ${sommaireCount}.`,
    mainHtml: [
      `<h1>Sommaire (page ${sommaireNumber} sur ${sommaireCount})</h1>`,
      linkList(themes),
      pager(sommaireNumber, sommaireCount, sommairePath),
    ].join('\n'),
  });
}

export function renderThemePage(
  siteName: string,
  themeNumber: number,
  themeCount: number,
  fiches: HubLink[],
): string {
  return renderSitePage({
    siteName,
    title: `Thème ${themeNumber} | ${siteName}`,
    description: `Fiches du thème ${themeNumber} sur ${themeCount}.`,
    mainHtml: [
      `<h1>Thème ${themeNumber}</h1>`,
      `<p>${fiches.length} fiches pratiques, questions-réponses et services en ligne.</p>`,
      linkList(fiches),
      pager(themeNumber, themeCount, themePath),
    ].join('\n'),
  });
}
