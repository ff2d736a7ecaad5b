import { escapeAttribute, escapeHtml } from './html-escape.ts';

export const DEFAULT_SITE_NAME = 'Service-Public.fr (site de test)';

/** The first listing page; every page's menu links to it, so it must exist on every built site. */
export const FIRST_SOMMAIRE_PATH = '/sommaire/1.html';

export interface SitePage {
  siteName: string;
  /** Text of `<title>` (not escaped yet). */
  title: string;
  /** Text of `<meta name="description">` (not escaped yet); omitted when empty. */
  description: string;
  /** Inner HTML of `<main>`, already escaped by the caller. */
  mainHtml: string;
}

/**
 * The chrome shared by every page: a header with the site name and the same menu everywhere, a skip
 * link to `#contenu`, a footer and a small script. A crawler's extraction is expected to keep `<main>`
 * and drop all of these, which is why they carry words that appear on every page.
 */
function siteHeader(siteName: string): string {
  return `<header class="site-header">
<a class="skip-link" href="#contenu">Aller au contenu</a>
<p class="site-name"><a href="/">${escapeHtml(siteName)}</a></p>
<p class="tagline">Le site officiel de l'administration française : vos droits et démarches</p>
<nav aria-label="Menu principal">
<ul>
<li><a href="/">Accueil</a></li>
<li><a href="${FIRST_SOMMAIRE_PATH}">Tous les thèmes</a></li>
<li><a href="/#services">Services en ligne</a></li>
</ul>
</nav>
</header>`;
}

function siteFooter(siteName: string): string {
  return `<footer class="site-footer">
<p>${escapeHtml(siteName)} — République française. Contenus issus des fiches « Vos droits et démarches »
de la Direction de l'information légale et administrative, sous licence ouverte.</p>
<ul><li><a href="/">Accueil</a></li><li><a href="${FIRST_SOMMAIRE_PATH}">Plan du site</a></li></ul>
</footer>
<script>document.documentElement.classList.add('js-enabled');</script>`;
}

export function renderSitePage(page: SitePage): string {
  const description = page.description
    ? `\n<meta name="description" content="${escapeAttribute(page.description)}">`
    : '';
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>${description}
</head>
<body>
${siteHeader(page.siteName)}
<main id="contenu">
${page.mainHtml}
</main>
${siteFooter(page.siteName)}
</body>
</html>
`;
}
