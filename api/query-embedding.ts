import {
  type Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
} from 'meilisearch';
import { z } from 'zod';

const EmbeddingResponseSchema = z.object({ queryVector: z.array(z.number()).min(1) });

/**
 * The vector of `q` by the index's embedder, asked of Meilisearch in a search of its own that returns
 * no hits. The semantic search then sends this vector instead of the text, so that Meilisearch never
 * embeds inside a federated multi-search: measured on Meilisearch 1.21, a multi-search whose embedding
 * service is unreachable holds one of Meilisearch's HTTP worker threads for the whole of its ~10 s of
 * retries, and every other request on a connection served by that thread waits too (keyword searches
 * included). A plain search embeds off those threads.
 */
export async function embedQuery(
  client: Meilisearch,
  indexUid: string,
  q: string,
  embedder: string,
): Promise<number[]> {
  const response = await client
    .index(indexUid)
    .search(q, { hybrid: { embedder, semanticRatio: 1 }, limit: 0, retrieveVectors: true });
  return EmbeddingResponseSchema.parse(response).queryVector;
}

/**
 * Whether `error` is the semantic search's own failure, for which keyword search alone can still
 * answer: Meilisearch gave up on the embedding service or refused the search (the index has no
 * embedder yet…), or the API's client stopped waiting for it (api-meili-client.ts). A Meilisearch
 * that cannot be reached is not: keyword search would fail the same way.
 */
export function isSemanticFailure(error: unknown): boolean {
  if (error instanceof MeilisearchApiError) return true;
  return error instanceof MeilisearchRequestError && error.cause instanceof MeilisearchRequestTimeOutError;
}
