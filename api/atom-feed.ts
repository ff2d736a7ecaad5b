import type { SearchResult } from './search-documents.ts';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function xml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char]!);
}

/** The snippet without its <mark> tags and entities, as plain text for a feed summary. */
function plainText(snippetHtml: string): string {
  return snippetHtml
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * An Atom 1.0 feed of a search's newest results, so an official can follow "new examples about X in
 * my région" in a feed reader. Every value is XML-escaped: page text never becomes markup.
 */
export function renderAtomFeed(result: SearchResult, feedUrl: string, now: Date): string {
  const updated =
    result.hits
      .map((hit) => hit.publishedAt ?? hit.crawledAt)
      .sort()
      .at(-1) ?? now.toISOString();
  const entries = result.hits.map((hit) => {
    const date = new Date(hit.publishedAt ?? hit.crawledAt);
    const when = Number.isNaN(date.getTime()) ? now.toISOString() : date.toISOString();
    return [
      '  <entry>',
      `    <id>${xml(hit.url)}</id>`,
      `    <title>${xml(hit.title)}</title>`,
      `    <link rel="alternate" href="${xml(hit.url)}"/>`,
      `    <updated>${when}</updated>`,
      `    <author><name>${xml(hit.source.name)}</name></author>`,
      `    <summary>${xml(plainText(hit.snippet))}</summary>`,
      ...hit.themes.map((theme) => `    <category term="${xml(theme)}"/>`),
      '  </entry>',
    ].join('\n');
  });
  const title = result.query ? `public-action search : ${result.query}` : 'public-action search : nouveautés';
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xml(feedUrl)}</id>`,
    `  <title>${xml(title)}</title>`,
    `  <link rel="self" href="${xml(feedUrl)}"/>`,
    `  <updated>${new Date(updated).toISOString()}</updated>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
