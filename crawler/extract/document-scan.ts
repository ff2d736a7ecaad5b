import type { DomNode } from './dom-node.ts';
import { attribute, innerText, isElement } from './dom-node.ts';

/** An `<a href>` as written in the page, resolved later against the page URL and `<base href>`. */
export interface RawAnchor {
  href: string;
  rel: string;
}

/** Elements that may hold the main content, in the order `main-root.ts` prefers them. */
export interface RootCandidates {
  main?: DomNode;
  roleMain?: DomNode;
  /** Articles outside the site chrome; only a lone one is taken as the main content. */
  articles: DomNode[];
  /** The target of an "Aller au contenu" skip link: the site's own statement of where content starts. */
  skipTarget?: DomNode;
  /** Elements whose id is one of CONTENT_IDS, first one per id. */
  byId: Map<string, DomNode>;
  /** Elements with a `content` / `main-content` class; only a unique one is trusted. */
  contentClass: DomNode[];
  body?: DomNode;
}

/** Everything the extractor needs from the whole document, gathered in a single walk. */
export interface DocumentScan {
  htmlLang?: string;
  /** `<meta>` content by lowercase name, property, itemprop or http-equiv; the first one wins. */
  metas: Map<string, string>;
  /** Every `<meta name="robots">` value: several tags add up. */
  robotsMetas: string[];
  titleText?: string;
  baseHref?: string;
  canonicalHref?: string;
  jsonLdTexts: string[];
  anchors: RawAnchor[];
  /** Microdata `itemprop="datePublished|dateModified"` values anywhere in the page. */
  microdataDates: { published?: string; modified?: string };
  roots: RootCandidates;
  /**
   * Forms wrapping the page heading. ASP.NET and some CMS wrap the whole page in one `<form>`: such a
   * form is layout, not a search box, and must not be dropped as boilerplate.
   */
  contentForms: Set<DomNode>;
}

export const CONTENT_IDS = ['content', 'contenu', 'main', 'main-content', 'maincontent', 'contenu-principal'];
const CONTENT_CLASS = /(?:^|\s)(?:main-)?content(?:\s|$)/i;
const SKIP_LINK_TEXT = /^\s*(?:aller|passer|acc[ée]der|skip)\b.{0,30}\b(?:contenu|content)/i;
/** Site chrome where an `<article>` is a teaser, not the page's content. */
const CHROME = new Set(['header', 'footer', 'nav', 'aside']);

interface ScanState {
  scan: DocumentScan;
  openForms: DomNode[];
  chromeDepth: number;
  skipTargetId?: string;
}

export function scanDocument(root: DomNode): DocumentScan {
  const scan: DocumentScan = {
    metas: new Map(),
    robotsMetas: [],
    jsonLdTexts: [],
    anchors: [],
    microdataDates: {},
    roots: { articles: [], byId: new Map(), contentClass: [] },
    contentForms: new Set(),
  };
  const state: ScanState = { scan, openForms: [], chromeDepth: 0 };
  for (const child of root.children ?? []) visit(child, state);
  return scan;
}

function visit(node: DomNode, state: ScanState): void {
  if (!isElement(node)) return;
  const name = node.name ?? '';
  // Inline SVG icons are large and hold nothing we read (their <title> is not the page's).
  if (name === 'svg') return;
  readElement(node, name, state);
  if (name === 'script' || name === 'style') return;
  const isChrome = CHROME.has(name);
  const isForm = name === 'form';
  if (isChrome) state.chromeDepth++;
  if (isForm) state.openForms.push(node);
  for (const child of node.children ?? []) visit(child, state);
  if (isChrome) state.chromeDepth--;
  if (isForm) state.openForms.pop();
}

function readElement(node: DomNode, name: string, state: ScanState): void {
  const { scan } = state;
  const attribs = node.attribs ?? {};
  switch (name) {
    case 'html':
      scan.htmlLang ??= attribs.lang ?? attribs['xml:lang'];
      break;
    case 'meta':
      readMeta(attribs, scan);
      break;
    case 'title':
      scan.titleText ??= innerText(node);
      break;
    case 'base':
      if (attribs.href) scan.baseHref ??= attribs.href;
      break;
    case 'link':
      if (attribs.href && hasToken(attribs.rel, 'canonical')) scan.canonicalHref ??= attribs.href;
      break;
    case 'script':
      if ((attribs.type ?? '').toLowerCase().includes('ld+json')) scan.jsonLdTexts.push(innerText(node));
      break;
    case 'a':
      if (attribs.href !== undefined) readAnchor(node, attribs.href, attribs.rel ?? '', state);
      break;
    case 'main':
      if (attribs.hidden === undefined) scan.roots.main ??= node;
      break;
    case 'article':
      if (state.chromeDepth === 0 && scan.roots.articles.length < 2) scan.roots.articles.push(node);
      break;
    case 'body':
      scan.roots.body ??= node;
      break;
    case 'h1':
      for (const form of state.openForms) scan.contentForms.add(form);
      break;
  }
  if (attribs.role === 'main') scan.roots.roleMain ??= node;
  if (attribs.id !== undefined) readId(node, attribs.id, state);
  if (
    attribs.class !== undefined &&
    CONTENT_CLASS.test(attribs.class) &&
    scan.roots.contentClass.length < 2
  ) {
    scan.roots.contentClass.push(node);
  }
  if (attribs.itemprop !== undefined && name !== 'meta') readMicrodataDate(node, attribs, scan);
}

function readMeta(attribs: Record<string, string>, scan: DocumentScan): void {
  const content = attribs.content;
  if (content === undefined) return;
  const key = (
    attribs.name ??
    attribs.property ??
    attribs.itemprop ??
    attribs['http-equiv'] ??
    ''
  ).toLowerCase();
  if (key === '') return;
  if (key === 'robots') scan.robotsMetas.push(content);
  if (!scan.metas.has(key)) scan.metas.set(key, content);
  if (key === 'datepublished') scan.microdataDates.published ??= content;
  if (key === 'datemodified') scan.microdataDates.modified ??= content;
}

function readAnchor(node: DomNode, href: string, rel: string, state: ScanState): void {
  state.scan.anchors.push({ href, rel });
  // Only in-page links can be skip links; reading their text is cheap as they are few.
  if (state.skipTargetId === undefined && href.startsWith('#') && href.length > 1) {
    if (SKIP_LINK_TEXT.test(innerText(node))) state.skipTargetId = href.slice(1);
  }
}

function readId(node: DomNode, id: string, state: ScanState): void {
  const { roots } = state.scan;
  const lowerId = id.toLowerCase();
  if (CONTENT_IDS.includes(lowerId) && !roots.byId.has(lowerId)) roots.byId.set(lowerId, node);
  // An empty anchor or span is a mere landing point: the content around it is not its subtree.
  if (
    roots.skipTarget === undefined &&
    id === state.skipTargetId &&
    node.name !== 'a' &&
    node.name !== 'span' &&
    (node.children?.length ?? 0) > 0
  ) {
    roots.skipTarget = node;
  }
}

function readMicrodataDate(node: DomNode, attribs: Record<string, string>, scan: DocumentScan): void {
  const prop = attribs.itemprop?.toLowerCase();
  if (prop !== 'datepublished' && prop !== 'datemodified') return;
  const value = attribute(node, 'content') ?? attribute(node, 'datetime') ?? innerText(node);
  if (prop === 'datepublished') scan.microdataDates.published ??= value;
  else scan.microdataDates.modified ??= value;
}

function hasToken(list: string | undefined, token: string): boolean {
  return (list ?? '').toLowerCase().split(/\s+/).includes(token);
}
