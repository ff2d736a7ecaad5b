import type { FicheHtmlContext } from './fiche-body-html.ts';
import { linkHtml, renderFicheNodes } from './fiche-body-html.ts';
import type { FicheDate, FicheLink, FicheSection } from './fiche-sections.ts';
import { ficheMetadata, ficheSections } from './fiche-sections.ts';
import type { Fiche } from './fiche-source.ts';
import { variantOpening, variantTitle } from './fiche-variant.ts';
import { formatFrenchDate } from './french-date.ts';
import { escapeAttribute, escapeHtml } from './html-escape.ts';
import { DEFAULT_SITE_NAME, renderSitePage } from './page-layout.ts';

// The page module is the entry point for fiche pages: loading and plain text live next door.
export { FICHE_TYPES, loadFiche } from './fiche-source.ts';
export type { Fiche, FicheType } from './fiche-source.ts';
export { ficheText } from './fiche-text.ts';
export type { FicheText } from './fiche-text.ts';

export interface FichePageOptions {
  /** Shown in the header and footer of every page. */
  siteName?: string;
  /**
   * Where a reference to another fiche should point, or undefined when that fiche is not part of the
   * site: it is then rendered as plain text, so the fixture never contains a link it cannot serve.
   * Defaults to "no fiche is on the site".
   */
  ficheHref?: (id: string) => string | undefined;
  /** 1 (default) renders the fiche as published; n > 1 a distinct variant (see fiche-variant.ts). */
  variant?: number;
  /** Render links to other websites as `<a rel="external">` instead of text; off by default. */
  externalLinks?: boolean;
}

function linkItem(link: FicheLink, context: FicheHtmlContext): string {
  const href = link.ficheId !== undefined ? context.ficheHref(link.ficheId) : link.url;
  return `<li>${linkHtml(escapeHtml(link.label), href, context)}</li>`;
}

function sectionHtml(section: FicheSection, context: FicheHtmlContext): string {
  if (section.kind === 'links') {
    const items = section.links.map((link) => linkItem(link, context)).join('\n');
    return `<section class="fiche-liens">\n<h2>${escapeHtml(section.heading)}</h2>\n<ul>\n${items}\n</ul>\n</section>`;
  }
  const title = section.heading === undefined ? '' : `<h2>${escapeHtml(section.heading)}</h2>\n`;
  const body = renderFicheNodes(section.nodes, { ...context, headingLevel: title ? 3 : 2 });
  return `<section class="fiche-contenu">\n${title}${body}</section>`;
}

function dateLine(date: FicheDate | undefined): string {
  if (!date) return '';
  const label = date.kind === 'created' ? 'Publié le' : 'Mis à jour le';
  const time = `<time datetime="${escapeAttribute(date.isoDate)}">${formatFrenchDate(date.isoDate)}</time>`;
  return `<p class="date-fiche">${label} ${time}</p>\n`;
}

function breadcrumbHtml(links: FicheLink[], context: FicheHtmlContext): string {
  const items = [`<li><a href="/">Accueil</a></li>`, ...links.map((link) => linkItem(link, context))];
  return `<nav class="fil-d-ariane" aria-label="Fil d'Ariane">\n<ol>\n${items.join('\n')}\n</ol>\n</nav>\n`;
}

/**
 * Prepares a fiche's page once and returns a function giving the document for any variant: variants
 * only differ by their title and opening sentence, so the body (the costly part when building
 * thousands of pages) is rendered a single time.
 */
export function fichePageRenderer(
  fiche: Fiche,
  options: Omit<FichePageOptions, 'variant'> = {},
): (variant: number) => string {
  const context: FicheHtmlContext = {
    headingLevel: 2,
    ficheHref: options.ficheHref ?? (() => undefined),
    externalLinks: options.externalLinks ?? false,
  };
  const metadata = ficheMetadata(fiche);
  const siteName = options.siteName ?? DEFAULT_SITE_NAME;
  const breadcrumb = breadcrumbHtml(metadata.breadcrumb, context);
  const body = [
    dateLine(metadata.date),
    ...ficheSections(fiche).map((section) => sectionHtml(section, context)),
    '</article>',
  ].join('\n');
  return (variant) => {
    const title = variantTitle(metadata.title, variant);
    const opening = variantOpening(fiche.id, variant);
    const mainHtml = [
      breadcrumb,
      `<article class="fiche" data-fiche-id="${escapeAttribute(fiche.id)}">`,
      `<h1>${escapeHtml(title)}</h1>`,
      ...(opening === undefined ? [] : [`<p class="chapo">${escapeHtml(opening)}</p>`]),
      body,
    ].join('\n');
    return renderSitePage({ siteName, title, description: metadata.description, mainHtml });
  };
}

/** A complete HTML5 document for one fiche: site chrome around a `<main>` holding the fiche itself. */
export function renderFichePage(fiche: Fiche, options: FichePageOptions = {}): string {
  return fichePageRenderer(fiche, options)(options.variant ?? 1);
}
