import { stemText, wordStem } from '../indexer/french-stem.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** The stems of the words a user searched for (quotes and exclusion marks ignored, exclusions left out). */
export function queryStems(q: string): Set<string> {
  const wanted = q
    .replace(/"/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && !word.startsWith('-'))
    .join(' ');
  return new Set(
    stemText(wanted)
      .split(/[\s.]+/)
      .filter(Boolean),
  );
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The snippet as HTML: every whole word whose stem is one the user searched for is in <mark>, and
 * all the rest is escaped, so page text can never inject markup. We highlight ourselves, by stems,
 * because the API searches Meilisearch with stems (see query-text.ts): Meilisearch's own highlight
 * would mark "cantin" inside "cantine", and miss "écoles" for "école".
 */
export function toSnippetHtml(text: string, stems: ReadonlySet<string>): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    // Cached stems: a page of results is a few thousand words, mostly the same few hundred.
    const stem = wordStem(word);
    if (stem !== '' && stems.has(stem)) {
      html += `${escapeHtml(text.slice(last, match.index))}<mark>${escapeHtml(word)}</mark>`;
      last = match.index + word.length;
    }
  }
  return html + escapeHtml(text.slice(last));
}

export function mentionsAny(text: string | undefined, stems: ReadonlySet<string>): text is string {
  if (!text || stems.size === 0) return false;
  for (const match of text.matchAll(WORD)) {
    const stem = wordStem(match[0]);
    if (stem !== '' && stems.has(stem)) return true;
  }
  return false;
}
