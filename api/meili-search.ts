import { type Filter, type Meilisearch, MeilisearchApiError, MeilisearchRequestError } from 'meilisearch';
import { z } from 'zod';
import { EMBEDDER_NAME } from '../indexer/index-settings.ts';
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

/**
 * Runs the search: one Meilisearch search, or, in relevance order, one federated multi-search merged
 * by Meilisearch by weighted ranking score, over the variants of a long query (query-variants.ts)
 * and, with an embedder, a semantic search of the query as typed. Date order does not depend on how
 * well a page matches, so it stays one keyword search.
 */
export async function searchIndex(
  client: Meilisearch,
  indexUid: string,
  search: IndexSearch,
): Promise<IndexPage> {
  const withSemantic =
    search.semantic?.available === true && search.sort === undefined && search.q.trim() !== '';
  if (!withSemantic) return searchOnce(client, indexUid, search, false);
  try {
    return await searchOnce(client, indexUid, search, true);
  } catch (error) {
    // The embedding service failed (Meilisearch says so) or took too long: keyword search alone for
    // a while (semantic-search.ts). A Meilisearch that cannot be reached is not the embedder's fault.
    const embedderFailed =
      error instanceof MeilisearchApiError && error.cause?.code === 'vector_embedding_error';
    const timedOut = error instanceof MeilisearchRequestError && /timed? ?out/i.test(String(error.cause));
    if (!embedderFailed && !timedOut) throw error;
    search.semantic?.pause();
    if (timedOut) throw error;
    return searchOnce(client, indexUid, search, false);
  }
}

async function searchOnce(
  client: Meilisearch,
  indexUid: string,
  search: IndexSearch,
  withSemantic: boolean,
): Promise<IndexPage> {
  const relevance = search.sort === undefined;
  const variants = relevance ? queryVariants(search.prepared) : undefined;
  // The semantic search embeds the query as typed: an embedding model reads sentences, not stems.
  const semantic =
    withSemantic && search.semantic
      ? { q: search.q, hybrid: { embedder: EMBEDDER_NAME, semanticRatio: 1 }, weight: search.semantic.weight }
      : undefined;
  const common = {
    ...searchParameters(search.q),
    filter: search.filter,
    attributesToCrop: search.attributesToCrop,
    cropMarker: search.cropMarker,
  };
  if (variants === undefined && semantic === undefined) {
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
    queries: [
      ...(variants ?? [{ text: search.prepared, weight: 1 }]).map((variant) => ({
        ...common,
        indexUid,
        q: variant.text,
        // contentHash: see below.
        attributesToRetrieve: [...search.attributesToRetrieve, 'contentHash'],
        federationOptions: { weight: variant.weight },
      })),
      ...(semantic
        ? [
            {
              ...common,
              indexUid,
              q: semantic.q,
              hybrid: semantic.hybrid,
              attributesToRetrieve: [...search.attributesToRetrieve, 'contentHash'],
              federationOptions: { weight: semantic.weight },
            },
          ]
        : []),
    ],
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
