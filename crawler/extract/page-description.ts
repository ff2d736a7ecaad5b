import type { ContentBlock } from './content-blocks.ts';

/** Long enough to describe the page; shorter blocks are captions, dates or labels. */
const MIN_PARAGRAPH_LENGTH = 80;
export const MAX_DESCRIPTION_LENGTH = 300;
/** Blocks that read as prose; a table cell or a list item rarely introduces a page. */
const PROSE_TAGS = new Set(['p', 'div', 'blockquote', 'article', 'section', 'main', 'body', 'dd']);

/**
 * Pure: the page's own summary when it has a usable one, else the first substantial paragraph of
 * its main text, cut at a word boundary. Pass no `declared` description when the site repeats the
 * same one on every page: it then describes the site, not the page.
 */
export function chooseDescription(declared: string, blocks: readonly ContentBlock[]): string {
  if (declared) return declared;
  const paragraph = blocks.find(
    (block) => PROSE_TAGS.has(block.tag) && block.text.length >= MIN_PARAGRAPH_LENGTH,
  );
  return paragraph ? truncateAtWord(paragraph.text, MAX_DESCRIPTION_LENGTH) : '';
}

/** At most `maxLength` characters, cut between two words and marked with an ellipsis when cut. */
export function truncateAtWord(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength - 1);
  const lastSpace = cut.lastIndexOf(' ');
  // A single enormous "word" (a URL, a token list) is cut where it must be.
  const end = lastSpace > maxLength / 2 ? lastSpace : cut.length;
  return `${cut.slice(0, end).replace(/[\s,;:.–-]+$/, '')}…`;
}
