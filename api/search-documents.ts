import type { Meilisearch } from 'meilisearch';
import { z } from 'zod';
import { SearchDocumentSchema } from '../core/search-document.ts';
import { escapeHtml, HIGHLIGHT_POST, HIGHLIGHT_PRE, hasHighlight, toSnippetHtml } from './snippet.ts';

export interface SearchParams {
  q: string;
  page: number;
  hitsPerPage: number;
}

export interface SearchHit {
  id: string;
  url: string;
  title: string;
  /** HTML: matched words in <mark>, everything else escaped. */
  snippet: string;
  source: { id: string; name: string; kind: string };
  territory: { code: string; name: string; level: string };
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  page: number;
  hitsPerPage: number;
  totalHits: number;
  processingTimeMs: number;
}

const RETRIEVED = ['id', 'url', 'title', 'description', 'source', 'territory'] as const;

// What Meilisearch hands back is parsed too: a stale index with another shape fails loudly here.
const HitSchema = SearchDocumentSchema.pick({
  id: true,
  url: true,
  title: true,
  description: true,
  source: true,
  territory: true,
}).extend({
  _formatted: z.object({ content: z.string().optional(), description: z.string().optional() }).optional(),
});
const ResponseSchema = z.object({
  hits: z.array(HitSchema),
  page: z.number(),
  hitsPerPage: z.number(),
  totalHits: z.number(),
  processingTimeMs: z.number(),
});

export async function searchDocuments(
  client: Meilisearch,
  indexUid: string,
  params: SearchParams,
): Promise<SearchResult> {
  const raw = await client.index(indexUid).search(params.q, {
    page: params.page,
    hitsPerPage: params.hitsPerPage,
    attributesToRetrieve: [...RETRIEVED],
    attributesToCrop: ['content:36'],
    attributesToHighlight: ['content', 'description'],
    highlightPreTag: HIGHLIGHT_PRE,
    highlightPostTag: HIGHLIGHT_POST,
    cropMarker: '…',
  });
  const response = ResponseSchema.parse(raw);
  return {
    query: params.q,
    hits: response.hits.map((hit) => ({
      id: hit.id,
      url: hit.url,
      title: hit.title,
      snippet: snippetFor(hit),
      source: hit.source,
      territory: { code: hit.territory.code, name: hit.territory.name, level: hit.territory.level },
    })),
    page: response.page,
    hitsPerPage: response.hitsPerPage,
    totalHits: response.totalHits,
    processingTimeMs: response.processingTimeMs,
  };
}

/** The passage that shows why the page matched, else the page's own description. */
function snippetFor(hit: z.infer<typeof HitSchema>): string {
  const formatted = hit._formatted ?? {};
  if (hasHighlight(formatted.content)) return toSnippetHtml(formatted.content);
  if (hasHighlight(formatted.description)) return toSnippetHtml(formatted.description);
  if (hit.description) return escapeHtml(hit.description);
  return toSnippetHtml(formatted.content ?? '');
}
