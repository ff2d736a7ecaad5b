import type { Filter, Meilisearch } from 'meilisearch';
import { z } from 'zod';
import { searchParameters } from './query-text.ts';
import { queryVariants } from './query-variants.ts';

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

/**
 * Runs the search: one Meilisearch search, or, for a long query in relevance order, one federated
 * multi-search over the query's variants (query-variants.ts), merged by Meilisearch by weighted
 * ranking score. Date order does not depend on how well a page matches, so it stays one search.
 */
export async function searchIndex(
  client: Meilisearch,
  indexUid: string,
  search: IndexSearch,
): Promise<IndexPage> {
  const variants = search.sort === undefined ? queryVariants(search.prepared) : undefined;
  const common = {
    ...searchParameters(search.q),
    filter: search.filter,
    attributesToCrop: search.attributesToCrop,
    cropMarker: search.cropMarker,
  };
  if (variants === undefined) {
    return client.index(indexUid).search(search.prepared, {
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
    queries: variants.map((variant) => ({
      ...common,
      indexUid,
      q: variant.text,
      // contentHash: see below.
      attributesToRetrieve: [...search.attributesToRetrieve, 'contentHash'],
      federationOptions: { weight: variant.weight },
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
