import type { Meilisearch } from 'meilisearch';
import { z } from 'zod';
import type { ProjectFields } from '../core/dataset.ts';
import { SearchDocumentSchema } from '../core/search-document.ts';
import type { PartnerScope } from '../core/partner.ts';
import { searchIndex } from './meili-search.ts';
import { scopeFilter } from './partner-scope.ts';
import { prepareQuery as stemmedQuery } from './query-text.ts';
import type { SemanticSearch } from './semantic-search.ts';
import {
  appliedFilters,
  buildFilter,
  FACET_ATTRIBUTES,
  type LikeTowns,
  quoteFilterValue,
} from './search-filter.ts';
import type { Facet, SearchParams } from './search-params.ts';
import { escapeHtml, mentionsAny, queryStems, toSnippetHtml } from './snippet.ts';
import { emptyWhileUnprepared } from './unprepared-index.ts';

export interface SearchHit {
  id: string;
  url: string;
  title: string;
  /** HTML: matched words in <mark>, everything else escaped. */
  snippet: string;
  source: { id: string; name: string; kind: string };
  territory: { code: string; name: string; level: string };
  themes: string[];
  type: string;
  publishedAt: string | null;
  crawledAt: string;
  /** A dataset row: the project's facts, its `url` being the API's page for it. */
  project?: Pick<ProjectFields, 'year' | 'scheme' | 'beneficiary' | 'cost' | 'grant' | 'dataset'>;
  /** Pinned by an admin at the top of this query's results (a best bet: api/admin/search-curation.ts). */
  promoted?: true;
}

export interface SearchResult {
  query: string;
  filters: Record<string, string | string[]>;
  sort: SearchParams['sort'];
  hits: SearchHit[];
  page: number;
  hitsPerPage: number;
  totalHits: number;
  totalPages: number;
  facets?: Partial<Record<Facet, Record<string, number>>>;
  processingTimeMs: number;
}

const RETRIEVED = [
  'id',
  'url',
  'title',
  'description',
  'source',
  'territory',
  'themes',
  'type',
  'publishedAt',
  'crawledAt',
  'project',
] as const;

/** How each sort orders results; relevance is Meilisearch's ranking rules. */
const SORT_RULES: Record<SearchParams['sort'], string[] | undefined> = {
  relevance: undefined,
  date: ['dateTs:desc'],
  cost: ['project.cost:desc'],
  grant: ['project.grant:desc'],
};

// What Meilisearch hands back is parsed too: a stale index with another shape fails loudly here.
const HitSchema = SearchDocumentSchema.pick({
  id: true,
  url: true,
  title: true,
  description: true,
  source: true,
  themes: true,
  type: true,
  publishedAt: true,
  crawledAt: true,
  project: true,
}).extend({
  territory: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  _formatted: z.object({ content: z.string().optional(), description: z.string().optional() }).optional(),
});
const ResponseSchema = z.object({
  hits: z.array(HitSchema),
  page: z.number(),
  hitsPerPage: z.number(),
  totalHits: z.number(),
  totalPages: z.number(),
  facetDistribution: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  processingTimeMs: z.number(),
});

export async function searchDocuments(
  client: Meilisearch,
  indexUid: string,
  params: SearchParams,
  prepareQuery: (q: string) => string = stemmedQuery,
  options: {
    semantic?: SemanticSearch;
    /** "Towns like mine", resolved (see like-towns.ts). */
    like?: LikeTowns;
    /** The URL of this API's page for a project (a dataset row has no page of its own elsewhere). */
    projectPage?: (id: string) => string;
    /** Only the documents of these URLs (the pages pinned by best bets). */
    onlyUrls?: readonly string[];
    /** A partner's scope, ANDed with the request's filters (partner-scope.ts). */
    scope?: PartnerScope;
  } = {},
): Promise<SearchResult> {
  const facets = params.facets ?? [];
  const search = () =>
    searchIndex(client, indexUid, {
      q: params.q,
      prepared: prepareQuery(params.q),
      page: params.page,
      hitsPerPage: params.hitsPerPage,
      filter: [
        ...buildFilter(params, options.like),
        ...scopeFilter(options.scope),
        ...(options.onlyUrls ? [options.onlyUrls.map((url) => `url = ${quoteFilterValue(url)}`)] : []),
      ],
      sort: SORT_RULES[params.sort],
      facets: facets.map((facet) => FACET_ATTRIBUTES[facet]),
      attributesToRetrieve: [...RETRIEVED],
      // Cropped around the matches by Meilisearch; highlighted by us, by stems (see snippet.ts).
      attributesToCrop: ['content:36'],
      cropMarker: '…',
      ...(options.semantic ? { semantic: options.semantic } : {}),
    });
  const raw = await emptyWhileUnprepared(client, indexUid, search, () => ({
    hits: [],
    page: params.page,
    hitsPerPage: params.hitsPerPage,
    totalHits: 0,
    totalPages: 0,
    processingTimeMs: 0,
  }));
  const response = ResponseSchema.parse(raw);
  const stems = queryStems(params.q);
  return {
    query: params.q,
    filters: appliedFilters(params),
    sort: params.sort,
    hits: response.hits.map((hit) => ({
      id: hit.id,
      url: hit.project && options.projectPage ? options.projectPage(hit.id) : hit.url,
      title: hit.title,
      snippet: snippetFor(hit, stems),
      source: hit.source,
      territory: { code: hit.territory.code, name: hit.territory.name, level: hit.territory.level },
      themes: hit.themes,
      type: hit.type,
      publishedAt: hit.publishedAt,
      crawledAt: hit.crawledAt,
      ...(hit.project
        ? {
            project: {
              year: hit.project.year,
              scheme: hit.project.scheme,
              beneficiary: hit.project.beneficiary,
              cost: hit.project.cost,
              grant: hit.project.grant,
              dataset: hit.project.dataset,
            },
          }
        : {}),
    })),
    page: response.page,
    hitsPerPage: response.hitsPerPage,
    totalHits: response.totalHits,
    totalPages: response.totalPages,
    ...(facets.length > 0
      ? {
          facets: Object.fromEntries(
            facets.map((facet) => [facet, response.facetDistribution?.[FACET_ATTRIBUTES[facet]] ?? {}]),
          ),
        }
      : {}),
    processingTimeMs: response.processingTimeMs,
  };
}

/** The passage that shows why the page matched, else the page's own description. */
function snippetFor(hit: z.infer<typeof HitSchema>, stems: ReadonlySet<string>): string {
  const content = hit._formatted?.content;
  if (mentionsAny(content, stems)) return toSnippetHtml(content, stems);
  if (mentionsAny(hit.description, stems)) return toSnippetHtml(hit.description, stems);
  if (hit.description) return escapeHtml(hit.description);
  return escapeHtml(content ?? '');
}
