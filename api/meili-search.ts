import type { Filter, Meilisearch } from 'meilisearch';
import { z } from 'zod';
import { EMBEDDER_NAME } from '../indexer/index-settings.ts';
import { embedQuery, isSemanticFailure } from './query-embedding.ts';
import { searchParameters } from './query-text.ts';
import { queryVariants } from './query-variants.ts';
import type { SemanticSearch } from './semantic-search.ts';

/** What the API asks of Meilisearch for one page of results, whatever the number of searches. */
export interface IndexSearch {
  /** The user's query as typed (validated). */
  q: string;
  /** The text Meilisearch searches for (by default its stems, see query-text.ts). */
  prepared: string;
  page: number;
  hitsPerPage: number;
  filter: Filter;
  /** Meilisearch sort expressions; none for relevance order. */
  sort?: string[];
  /** Attributes to count values of. */
  facets: string[];
  attributesToRetrieve: string[];
  attributesToCrop: string[];
  cropMarker: string;
  /** With an embedder in the index (MEILI_EMBEDDER): semantic search too. Absent: keyword only. */
  semantic?: SemanticSearch;
}

/** One page of hits in Meilisearch's page-based shape; hits are parsed by the caller. */
export interface IndexPage {
  hits: unknown[];
  page: number;
  hitsPerPage: number;
  totalHits: number;
  totalPages: number;
  facetDistribution?: unknown;
  processingTimeMs: number;
}

// Parsed here only as far as this file reads it; the hits themselves are parsed by the caller.
const FederatedResponseSchema = z.object({
  hits: z.array(z.looseObject({ contentHash: z.string().optional() })),
  estimatedTotalHits: z.number(),
  facetDistribution: z.unknown().optional(),
  processingTimeMs: z.number(),
});

/** One Meilisearch search of those a request makes (see plannedSearches). */
export interface PlannedSearch {
  q: string;
  /** Federation weight: the search's ranking scores are multiplied by it before the merge. */
  weight: number;
  /** Set for the semantic search. */
  hybrid?: { embedder: string; semanticRatio: number };
}

/**
 * The Meilisearch searches one request makes, also what the rate limit charges (rate-limit.ts): in
 * relevance order, the variants of a long query (query-variants.ts), or the query itself, and, with
 * semantic search, a semantic search of the query as typed (an embedding model reads sentences, not
 * stems); in date order, which does not depend on how well a page matches, the query alone.
 */
export function plannedSearches(
  search: { q: string; prepared: string; relevance: boolean },
  semanticWeight: number | undefined,
): PlannedSearch[] {
  if (!search.relevance) return [{ q: search.prepared, weight: 1 }];
  const keyword = (queryVariants(search.prepared) ?? [{ text: search.prepared, weight: 1 }]).map(
    (variant) => ({ q: variant.text, weight: variant.weight }),
  );
  if (semanticWeight === undefined || search.q.trim() === '') return keyword;
  return [
    ...keyword,
    { q: search.q, weight: semanticWeight, hybrid: { embedder: EMBEDDER_NAME, semanticRatio: 1 } },
  ];
}

/**
 * Runs the search: one Meilisearch search, or one federated multi-search over the planned searches,
 * merged by Meilisearch by weighted ranking score. With semantic search, the query is embedded first
 * (query-embedding.ts); if that fails or takes longer than the API's client waits (Meilisearch tries
 * an unreachable embedding service for ~10 s, api-meili-client.ts), the same request is answered by
 * keyword search alone, at once, and semantic search pauses for a while (semantic-search.ts).
 */
export async function searchIndex(
  client: Meilisearch,
  indexUid: string,
  search: IndexSearch,
): Promise<IndexPage> {
  const plan = (semanticWeight?: number) =>
    plannedSearches({ ...search, relevance: search.sort === undefined }, semanticWeight);
  const semantic = search.semantic?.available === true ? search.semantic : undefined;
  const withSemantic = plan(semantic?.weight);
  const hybrid = withSemantic.find((one) => one.hybrid !== undefined)?.hybrid;
  if (semantic === undefined || hybrid === undefined)
    return searchOnce(client, indexUid, search, withSemantic);
  let vector: number[];
  try {
    vector = await embedQuery(client, indexUid, search.q, hybrid.embedder);
  } catch (error) {
    if (!isSemanticFailure(error)) throw error;
    semantic.pause();
    return searchOnce(client, indexUid, search, plan());
  }
  return searchOnce(client, indexUid, search, withSemantic, vector);
}

async function searchOnce(
  client: Meilisearch,
  indexUid: string,
  search: IndexSearch,
  planned: readonly PlannedSearch[],
  /** The query's vector, for the semantic search (query-embedding.ts). */
  vector?: number[],
): Promise<IndexPage> {
  const common = {
    ...searchParameters(search.q),
    filter: search.filter,
    attributesToCrop: search.attributesToCrop,
    cropMarker: search.cropMarker,
  };
  const [only] = planned;
  if (planned.length === 1 && only !== undefined && only.hybrid === undefined) {
    return client.index(indexUid).search(only.q, {
      ...common,
      page: search.page,
      hitsPerPage: search.hitsPerPage,
      sort: search.sort,
      facets: search.facets,
      attributesToRetrieve: search.attributesToRetrieve,
    });
  }
  const raw = await client.multiSearch({
    federation: {
      offset: (search.page - 1) * search.hitsPerPage,
      limit: search.hitsPerPage,
      ...(search.facets.length > 0 ? { facetsByIndex: { [indexUid]: search.facets }, mergeFacets: {} } : {}),
    },
    queries: planned.map((one) => ({
      ...common,
      indexUid,
      q: one.q,
      ...(one.hybrid ? { hybrid: one.hybrid, vector } : {}),
      // contentHash: see below.
      attributesToRetrieve: [...search.attributesToRetrieve, 'contentHash'],
      federationOptions: { weight: one.weight },
    })),
  });
  const response = FederatedResponseSchema.parse(raw);
  // Each variant shows a page published by two sources once (the index's distinctAttribute), but two
  // variants may each pick a different copy: the page keeps the first.
  const hashes = new Set<string>();
  const hits = response.hits.filter((hit) => {
    if (hit.contentHash === undefined) return true;
    if (hashes.has(hit.contentHash)) return false;
    hashes.add(hit.contentHash);
    return true;
  });
  // A federated search only gives an estimate of its total (Meilisearch's offset/limit mode); the API
  // reports it as the total.
  const totalHits = response.estimatedTotalHits;
  return {
    hits,
    page: search.page,
    hitsPerPage: search.hitsPerPage,
    totalHits,
    totalPages: Math.ceil(totalHits / search.hitsPerPage),
    ...(response.facetDistribution === undefined ? {} : { facetDistribution: response.facetDistribution }),
    processingTimeMs: response.processingTimeMs,
  };
}
