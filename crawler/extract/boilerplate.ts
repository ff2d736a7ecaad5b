import type { DomNode } from './dom-node.ts';
import { innerText } from './dom-node.ts';

/** Where an element sits, as far as deciding whether it is site chrome goes. */
export interface BoilerplateContext {
  /**
   * Inside the chosen content root, an `<article>` or a `<section>`: there a `<header>` holds the
   * article's title and date, not the site banner (the HTML spec's own rule for `banner`).
   */
  inSection: boolean;
  /**
   * Inside an `<article>` (or the content root is one): an `<aside>` there is the article's own
   * call-out ("À savoir", "Attention"), while elsewhere it is a sidebar.
   */
  inArticle: boolean;
  /** Forms that wrap the whole page (see `DocumentScan.contentForms`). */
  contentForms: ReadonlySet<DomNode>;
}

/** Never content: document metadata, code, embeds, controls, menus, dialogs. */
const ALWAYS_DROPPED = new Set(
  (
    'head title meta link noscript template svg iframe object embed canvas audio video ' +
    'nav button select input textarea dialog'
  ).split(' '),
);

const DROPPED_ROLES = new Set(
  'navigation banner contentinfo search complementary menu menubar toolbar dialog alertdialog'.split(' '),
);

/**
 * Consent managers (tarteaucitron, Axeptio, Didomi, Complianz…), breadcrumbs, skip links, share bars,
 * "back to top" buttons and mega menus. These words are specific enough to match anywhere in a class
 * or id, including camelCase ids such as `tarteaucitronAlertBig`.
 */
const CHROME_FRAGMENT =
  /tarteaucitron|axeptio|didomi|cmplz|onetrust|cookie|consent|gdpr|breadcrumb|sharedaddy|sharing|ariane|skiplink|skip-link|skip-to|evitement|addthis|sharethis|a2a_kit|(?:back|go|scroll)[-_]?(?:to[-_]?)?top|retour-haut|retour-en-haut|haut-de-page|megamenu|mega-menu|navbar|mainmenu|main-menu|menu-principal|menuprincipal|social-share|share-buttons|sharebar|share-bar|partage|reseaux-sociaux|reseauxsociaux|rgpd[-_]?(?:banner|bandeau|popup|modal|bar|notice)|(?:banner|bandeau|popup|modal)[-_]?rgpd/;

/**
 * Generic words only count as a whole class or id: `menu` is chrome, `menu-cantine` (the school
 * menus) is content; `social` is chrome, `action-sociale` is content. The `fr-*` ones are the State
 * design system's (DSFR) components.
 */
const CHROME_TOKEN =
  /(?:^|\s)(?:menu|nav|navigation|sidebar|side-bar|sidenav|share|social|socials|skip|to-top|totop|pagination|pager|toolbar|topbar|top-bar|rgpd|site-header|site-footer|main-header|main-footer|page-footer|global-header|global-footer|fr-header|fr-footer|fr-nav|fr-share|fr-sidemenu|fr-follow|fr-display|fr-translate|fr-search-bar|fr-skiplinks|fr-consent-banner)(?:\s|$)/;

/** A header or footer by class or id: chrome outside sections, the article's own inside them. */
const HEADER_FOOTER_TOKEN = /(?:^|\s)(?:header|footer|entete|en-tete|pied-de-page|pied-page)(?:\s|$)/;

const BREADCRUMB_LABEL = /fil d['’]ariane|breadcrumb|vous [eê]tes ici|partag/i;
const YOU_ARE_HERE = /^\s*vous [eê]tes ici/i;
/** In-page links that only move the reader around: "Aller au contenu", "Retour en haut"… */
const NAVIGATION_ANCHOR =
  /^\s*(?:aller|passer|acc[ée]der|skip|retour|revenir|remonter|back|haut de (?:la )?page)\b/i;

/** Pure: whether an element (and its whole subtree) is site chrome rather than page content. */
export function isBoilerplate(node: DomNode, context: BoilerplateContext): boolean {
  const name = node.name ?? '';
  if (ALWAYS_DROPPED.has(name)) return true;
  if ((name === 'header' || name === 'footer') && !context.inSection) return true;
  if (name === 'aside' && !context.inArticle) return true;
  if (name === 'form' && !context.contentForms.has(node)) return true;
  const attribs = node.attribs ?? {};
  if (attribs.role !== undefined && DROPPED_ROLES.has(attribs.role.toLowerCase())) return true;
  if (attribs['aria-hidden'] === 'true') return true;
  if (attribs['aria-label'] !== undefined && BREADCRUMB_LABEL.test(attribs['aria-label'])) return true;
  if (attribs.itemtype?.includes('BreadcrumbList')) return true;
  if (attribs.class !== undefined || attribs.id !== undefined) {
    const names = `${attribs.class ?? ''} ${attribs.id ?? ''}`.toLowerCase();
    if (CHROME_FRAGMENT.test(names) || CHROME_TOKEN.test(names)) return true;
    if (!context.inSection && HEADER_FOOTER_TOKEN.test(names)) return true;
  }
  if (name === 'a') return isWidgetAnchor(node, attribs.href ?? '');
  return YOU_ARE_HERE.test(leadingText(node, 2));
}

/** Links that are buttons in disguise: `javascript:` actions ("Imprimer") and in-page jumps. */
function isWidgetAnchor(node: DomNode, href: string): boolean {
  if (/^\s*javascript:/i.test(href)) return true;
  return href.startsWith('#') && NAVIGATION_ANCHOR.test(innerText(node));
}

const LEADING_INLINE = new Set(['span', 'strong', 'b', 'em', 'label']);

/**
 * The first words of an element, looking only at its own text and its first inline children: enough
 * to recognise `<p>Vous êtes ici : …</p>` or `<div><span>Vous êtes ici</span><ol>…`, without
 * mistaking a page wrapper whose first block happens to be the breadcrumb for the breadcrumb itself.
 */
function leadingText(node: DomNode, depth: number): string {
  for (const child of node.children ?? []) {
    if (child.type === 'text') {
      if (child.data?.trim()) return child.data;
      continue;
    }
    if (child.type !== 'tag' || depth === 0 || !LEADING_INLINE.has(child.name ?? '')) return '';
    return leadingText(child, depth - 1);
  }
  return '';
}
