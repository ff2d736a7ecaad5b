// htmlparser2, the parser cheerio/slim uses (about twice as fast as parse5 on real pages), called
// directly. cheerio's load() defines a class per document, whose closure holds the whole tree; with
// it, most of what a page allocated outlived V8's young-generation collections (freed only by a full
// one), so every tree was copied and promoted: GC was a fifth of the extraction worker's CPU.
import { parseDocument } from 'htmlparser2';
import { cleanText } from './clean-text.ts';
import type { ContentBlock } from './content-blocks.ts';
import { walkContent } from './content-blocks.ts';
import type { DomNode } from './dom-node.ts';
import { scanDocument } from './document-scan.ts';
import { readJsonLd } from './json-ld.ts';
import { chooseMainRoot } from './main-root.ts';
import { chooseDescription } from './page-description.ts';
import { findPageDates } from './page-dates.ts';
import type { PageLink } from './page-links.ts';
import { baseUrlOf, resolveLinks, toHttpUrl } from './page-links.ts';
import { chooseTitle } from './page-title.ts';
import type { PageType } from './page-type.ts';
import { classifyPage } from './page-type.ts';
import type { RepeatedBlockFilter } from './repeated-block-filter.ts';
import type { RobotsDirectives } from './robots-directives.ts';
import { combineRobotsDirectives, parseRobotsDirectives } from './robots-directives.ts';

export type { PageLink } from './page-links.ts';
export type { PageType } from './page-type.ts';
export type { RobotsDirectives } from './robots-directives.ts';

export interface ExtractedPage {
  title: string;
  /** The page's meta description, else the start of its first substantial paragraph. */
  description: string;
  /** The main content as plain text, site chrome and repeated blocks removed. */
  text: string;
  /**
   * Title, description and text as they would be with no repeated block dropped. The filter learns
   * as the crawl goes, so what it drops depends on the pages crawled before: change and duplicate
   * detection hash this instead, or crawl order alone would make a page look changed, or a twin new.
   */
  fingerprint: string;
  /** h1-h3 of the main content, in order, without duplicates. */
  headings: string[];
  /** Primary language subtag, lowercase ('fr'), or null when the page does not say. */
  lang: string | null;
  /** 'YYYY-MM-DD' or a full ISO 8601 date-time, or null. */
  publishedAt: string | null;
  updatedAt: string | null;
  pageType: PageType;
  /** Distinct http(s) links of the whole page (menus included), absolute, fragments dropped. */
  links: PageLink[];
  canonical: URL | null;
  /** From `<meta name="robots">` only; the X-Robots-Tag header is the caller's to add. */
  robots: RobotsDirectives;
}

export interface ExtractOptions {
  /** The source's filter, shared by all its pages: blocks it has seen on many pages are dropped. */
  repeatedBlocks?: RepeatedBlockFilter;
}

const MAX_HEADINGS = 30;
const MAX_DATE_LINE_LENGTH = 160;
const HEADING_TAGS = new Set(['h1', 'h2', 'h3']);

/**
 * Parses the page once, reads the whole document in one walk (metadata, links, landmarks), then
 * walks only the main content for its text. With a `repeatedBlocks` filter the call records this
 * page's blocks in it: that is its only side effect.
 */
export function extractPage(html: string, pageUrl: URL, options: ExtractOptions = {}): ExtractedPage {
  const documentRoot: DomNode = parseDocument(html);
  const scan = scanDocument(documentRoot);
  const baseUrl = baseUrlOf(scan.baseHref, pageUrl);
  const mainRoot = chooseMainRoot(scan.roots, documentRoot);
  let walk = walkContent(mainRoot, scan.contentForms);
  // A <main> holding only a carousel or a script-rendered app: the page's text is elsewhere.
  const pageRoot = scan.roots.body ?? documentRoot;
  if (walk.blocks.length === 0 && mainRoot !== pageRoot) walk = walkContent(pageRoot, scan.contentForms);

  const { metas } = scan;
  const declaredDescription = cleanText(metas.get('description') || metas.get('og:description') || '');
  const { kept, descriptionRepeated } = dropRepeatedBlocks(walk.blocks, declaredDescription, options);
  const jsonLd = readJsonLd(scan.jsonLdTexts);
  const titleOf = (blocks: readonly ContentBlock[]) =>
    chooseTitle(
      {
        h1: blocks.find((block) => block.tag === 'h1')?.text,
        ogTitle: metas.get('og:title'),
        titleText: scan.titleText,
      },
      { siteName: metas.get('og:site_name'), hostname: pageUrl.hostname },
    );
  const title = titleOf(kept);
  const pageType = classifyPage(pageUrl, title, jsonLd.types);
  const dates = findPageDates({
    jsonLd,
    metas,
    microdata: scan.microdataDates,
    times: walk.times,
    text: dateLines(walk.blocks),
    isNews: pageType === 'actualite',
  });
  return {
    title,
    description: chooseDescription(descriptionRepeated ? '' : declaredDescription, kept),
    text: kept.map((block) => block.text).join(' '),
    fingerprint: [
      titleOf(walk.blocks),
      chooseDescription(declaredDescription, walk.blocks),
      ...walk.blocks.map((block) => block.text),
    ].join('\n'),
    headings: headingsOf(kept),
    lang: primaryLanguage(scan.htmlLang || metas.get('content-language')),
    ...dates,
    pageType,
    links: resolveLinks(scan.anchors, baseUrl),
    canonical: scan.canonicalHref === undefined ? null : toHttpUrl(scan.canonicalHref, baseUrl),
    robots: combineRobotsDirectives(...scan.robotsMetas.map(parseRobotsDirectives)),
  };
}

/**
 * The blocks left once the source's repeated ones are gone. The meta description is submitted with
 * them: a description repeated on every page is the site's, not the page's.
 */
function dropRepeatedBlocks(
  blocks: readonly ContentBlock[],
  declaredDescription: string,
  options: ExtractOptions,
): { kept: ContentBlock[]; descriptionRepeated: boolean } {
  if (!options.repeatedBlocks) return { kept: [...blocks], descriptionRepeated: false };
  const texts = blocks.map((block) => block.text);
  if (declaredDescription) texts.push(declaredDescription);
  const repeated = options.repeatedBlocks.observe(texts);
  return {
    kept: blocks.filter((_, index) => !repeated[index]),
    descriptionRepeated: declaredDescription !== '' && repeated[blocks.length] === true,
  };
}

/**
 * The short blocks, where "Publié le …" lines live. Prose is left out: "la délibération publiée le
 * 12 mars au recueil des actes" dates something else than the page, and skipping it halves the scan.
 */
function dateLines(blocks: readonly ContentBlock[]): string {
  return blocks
    .filter((block) => block.text.length <= MAX_DATE_LINE_LENGTH)
    .map((block) => block.text)
    .join(' ');
}

function headingsOf(blocks: readonly ContentBlock[]): string[] {
  const headings = new Set<string>();
  for (const block of blocks) {
    if (headings.size >= MAX_HEADINGS) break;
    if (HEADING_TAGS.has(block.tag)) headings.add(block.text);
  }
  return [...headings];
}

/** "fr-FR", "FR", "fr_fr, en" → "fr"; anything that is not a language subtag → null. */
function primaryLanguage(value: string | undefined): string | null {
  const subtag =
    (value ?? '')
      .trim()
      .toLowerCase()
      .split(/[-_,;\s]/)[0] ?? '';
  return /^[a-z]{2,3}$/.test(subtag) ? subtag : null;
}
