/**
 * A search hit's snippet (HTML: matched words in <mark>, everything else escaped; api/snippet.ts) as
 * plain text segments, so that the page and the widget show it with text nodes only and never parse
 * it as HTML: whatever a crawled page contained, it can only ever be text.
 */
export interface SnippetSegment {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

export function snippetSegments(snippetHtml: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const parts = snippetHtml.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part !== '')
      segments.push({
        text: part.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!),
        marked,
      });
  }
  return segments;
}
