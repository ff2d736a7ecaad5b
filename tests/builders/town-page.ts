import { escapeAttribute, escapeHtml } from '../../fixture-web/html-escape.ts';

export interface TownLink {
  href: string;
  text?: string;
  rel?: string;
}

export interface TownPageSpec {
  title: string;
  /** Paragraphs of the main content, each distinct enough not to look like boilerplate. */
  paragraphs?: string[];
  links?: (string | TownLink)[];
  /** Links of the header menu: outside <main>, so changing them leaves the page's text as it was. */
  menu?: string[];
  /** Extra markup for <head>: a robots meta tag, a canonical link… */
  head?: string;
  /** Declared in <meta charset>; the caller encodes the bytes accordingly. */
  charset?: string;
}

/**
 * A town hall page as small CMSs render them: the same header and footer everywhere, the page's own
 * text in <main>, then its links. Tests give every page its own words, so a search hit names one page.
 */
export function aTownPage(spec: TownPageSpec): string {
  const paragraphs = spec.paragraphs ?? [`Cette page présente ${spec.title.toLowerCase()} en détail.`];
  const links = (spec.links ?? []).map((link) => (typeof link === 'string' ? { href: link } : link));
  // Link text of its own, not the URL: a search for a page's words must not hit the pages linking it.
  const items = links.map(
    (link, index) =>
      `<li><a href="${escapeAttribute(link.href)}"${link.rel ? ` rel="${escapeAttribute(link.rel)}"` : ''}>` +
      `${escapeHtml(link.text ?? `Rubrique ${index + 1}`)}</a></li>`,
  );
  const menu = (spec.menu ?? []).map((href) => ` <a href="${escapeAttribute(href)}">Rubrique</a>`).join('');
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="${spec.charset ?? 'utf-8'}">
<title>${escapeHtml(spec.title)} | Mairie de Saint-Exemple</title>
${spec.head ?? ''}
</head>
<body>
<header><p>Mairie de Saint-Exemple</p><nav><a href="/">Accueil</a>${menu}</nav></header>
<main>
<h1>${escapeHtml(spec.title)}</h1>
${paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n')}
${items.length > 0 ? `<ul>\n${items.join('\n')}\n</ul>` : ''}
</main>
<footer><p>Mairie de Saint-Exemple, place de la République. Ouvert du lundi au vendredi.</p></footer>
</body>
</html>
`;
}
