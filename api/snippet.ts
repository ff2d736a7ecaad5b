/**
 * Meilisearch inserts highlight tags into text it does not escape. We ask it for two control
 * characters as tags (extraction strips them from indexed text, so they cannot come from a page),
 * escape everything, then turn the markers into <mark>: page text can never inject markup.
 */
export const HIGHLIGHT_PRE = '\u0001';
export const HIGHLIGHT_POST = '\u0002';

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

export function toSnippetHtml(formatted: string): string {
  return escapeHtml(formatted).replaceAll(HIGHLIGHT_PRE, '<mark>').replaceAll(HIGHLIGHT_POST, '</mark>');
}

export function hasHighlight(formatted: string | undefined): formatted is string {
  return formatted !== undefined && formatted.includes(HIGHLIGHT_PRE);
}
