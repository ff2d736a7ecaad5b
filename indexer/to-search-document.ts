import type { RawPage } from '../core/raw-page.ts';
import {
  type DocumentTerritory,
  documentIdForUrl,
  MAX_CONTENT_LENGTH,
  type SearchDocument,
  type StemmedText,
} from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import { splitWords, stemText } from './french-stem.ts';
import { formatRankOf, freshnessOf, pageDateOf, trustOf } from './ranking-signals.ts';
import { assignThemes, type ThemeTaxonomy } from './themes.ts';

/**
 * How much of the body gets stems: its start says what the page is about, and stemming all of a long
 * body would make indexing notably slower for little gain (see eval/).
 */
export const MAX_STEMMED_CONTENT_LENGTH = 5_000;

/** What a page needs from outside itself to become a document. */
export interface DocumentContext {
  source: Source;
  /**
   * The page's territory (a dataset row's own, else its source's), resolved from the official list
   * (sources.yaml is checked against it).
   */
  territory: DocumentTerritory;
  taxonomy: ThemeTaxonomy;
  now: Date;
}

/** Pure: the document indexed for a crawled page of a source. */
export function toSearchDocument(page: RawPage, context: DocumentContext): SearchDocument {
  const { source } = context;
  const content = page.text.slice(0, MAX_CONTENT_LENGTH);
  const pageDate = pageDateOf(page);
  return {
    id: documentIdForUrl(page.url),
    url: page.url,
    title: page.title || page.url,
    description: page.description,
    content,
    headings: page.headings,
    stemmed: stemmedText(page, content),
    source: { id: source.id, name: source.name, kind: source.kind },
    territory: context.territory,
    themes: assignThemes(
      { title: page.title, description: page.description, headings: page.headings, content },
      context.taxonomy,
    ),
    type: page.pageType,
    lang: page.lang,
    publishedAt: page.publishedAt,
    updatedAt: page.updatedAt,
    crawledAt: page.fetchedAt,
    dateTs: Math.floor(pageDate.getTime() / 1000),
    contentHash: page.contentHash,
    trust: trustOf(source.kind),
    freshness: freshnessOf(pageDate, context.now),
    formatRank: formatRankOf(page.pageType),
    titleWords: splitWords(page.title || page.url).length,
    ...(page.project ? { project: page.project } : {}),
  };
}

/** The stems of the text fields (see french-stem.ts); the title is not stemmed again with the headings. */
export function stemmedText(
  page: Pick<RawPage, 'title' | 'headings' | 'description'>,
  content: string,
): StemmedText {
  const title = page.title || '';
  return {
    title: stemText(title),
    headings: stemText(page.headings.filter((heading) => heading !== title).join('\n')),
    description: stemText(page.description),
    content: stemText(content.slice(0, MAX_STEMMED_CONTENT_LENGTH)),
  };
}
