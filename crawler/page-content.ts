import type { PageType } from '../core/raw-page.ts';
import { contentHash } from '../core/content-hash.ts';
import { cleanUrl } from './clean-url.ts';
import { classifyContent } from './content/content-kind.ts';
import { decodeHtml } from './content/decode-html.ts';
import { extractPdfText } from './content/pdf-text.ts';
import { type ExtractedPage, extractPage } from './extract/extract-page.ts';
import type { RepeatedBlockFilter } from './extract/repeated-block-filter.ts';
import { combineRobotsDirectives, parseRobotsDirectives } from './extract/robots-directives.ts';

/** What a fetched body holds, once decoded and extracted. */
export type PageContent =
  | { kind: 'binary' }
  | {
      kind: 'document';
      title: string;
      description: string;
      text: string;
      headings: string[];
      lang: string | null;
      publishedAt: string | null;
      updatedAt: string | null;
      pageType: PageType;
      contentHash: string;
      noindex: boolean;
      /**
       * Links to follow (nofollow ones already left out) and the canonical URL the page declares,
       * cleaned (cleanUrl) and as strings: they may cross a worker boundary, and the frontier skips
       * a link it has seen before paying for parsing it again.
       */
      links: string[];
      canonical: string | null;
    };

const DESCRIPTION_LENGTH = 300;

/** Decodes and extracts an HTML page or a PDF; anything else is binary. */
export async function readPageContent(
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
  repeatedBlocks: RepeatedBlockFilter,
): Promise<PageContent> {
  const headerDirectives = parseRobotsDirectives(headers['x-robots-tag'] ?? '');
  const kind = classifyContent(headers['content-type'], body, url);
  if (kind === 'binary') return { kind: 'binary' };
  if (kind === 'pdf') {
    const pdf = await extractPdfText(body);
    const fileName = decodeURIComponent(url.pathname.split('/').pop() ?? '').replace(/\.pdf$/i, '');
    const title = pdf.title ?? fileName.replace(/[-_]+/g, ' ');
    return {
      kind: 'document',
      title,
      description: pdf.text.slice(0, DESCRIPTION_LENGTH),
      text: pdf.text,
      headings: [],
      lang: null,
      publishedAt: pdf.publishedAt,
      updatedAt: null,
      pageType: 'document',
      contentHash: contentHash(`${title}\n${pdf.text}`),
      noindex: headerDirectives.noindex,
      links: [],
      canonical: null,
    };
  }
  const { html } = decodeHtml(body, headers['content-type']);
  const page = extractPage(html, url, { repeatedBlocks });
  const robots = combineRobotsDirectives(headerDirectives, page.robots);
  return {
    kind: 'document',
    ...documentFields(page),
    noindex: robots.noindex,
    links: robots.nofollow
      ? []
      : page.links.filter((link) => !link.nofollow).map((link) => cleanUrl(link.url).href),
    canonical: page.canonical ? cleanUrl(page.canonical).href : null,
  };
}

/** What an extracted HTML page contributes to its document; the evaluation corpus builds its pages with it too. */
export function documentFields(page: ExtractedPage) {
  return {
    title: page.title,
    description: page.description,
    text: page.text,
    headings: page.headings,
    lang: page.lang,
    publishedAt: page.publishedAt,
    updatedAt: page.updatedAt,
    pageType: page.pageType,
    contentHash: contentHash(page.fingerprint),
  };
}
