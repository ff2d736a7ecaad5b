/**
 * The same queries both ways for `npm run bench:api`: through the API (`GET /v1/search?q=`) and straight
 * to Meilisearch with the body the API would send, checked to find the same pages.
 */
import type { Meilisearch } from 'meilisearch';
import { prepareQuery } from '../api/query-text.ts';
import { searchDocuments } from '../api/search-documents.ts';
import { SearchParamsSchema } from '../api/search-params.ts';

export function apiPath(q: string): string {
  return `/v1/search?q=${encodeURIComponent(q)}`;
}

/**
 * The JSON body the API sends to Meilisearch for a query, taken from `searchDocuments` itself (with
 * a client that records instead of sending), so the direct runs ask Meilisearch for exactly the same
 * work. Recorded once: the options must not depend on the words, which is checked on two queries.
 */
export async function meiliBodyBuilder(indexUid: string): Promise<(q: string) => string> {
  const record = async (q: string) => {
    let recorded: { q: string; options: Record<string, unknown> } | undefined;
    const recorder = {
      index: () => ({
        search: (sent: string, options: Record<string, unknown>) => {
          recorded = { q: sent, options };
          return Promise.resolve({
            hits: [],
            page: 1,
            hitsPerPage: 10,
            totalHits: 0,
            totalPages: 0,
            processingTimeMs: 0,
          });
        },
      }),
    } as unknown as Meilisearch;
    // The API's own defaults for a `?q=` request, then its call, as the search route makes it.
    await searchDocuments(recorder, indexUid, SearchParamsSchema.parse({ q }), prepareQuery);
    if (recorded === undefined) throw new Error(`searchDocuments did not call Meilisearch for "${q}"`);
    return recorded;
  };
  const probeQueries = ['carte grise', 'allocations familiales enfants'];
  const probes = await Promise.all(probeQueries.map(record));
  const sameOptions = new Set(probes.map((probe) => JSON.stringify(probe.options))).size === 1;
  if (!sameOptions || probes.some((probe, n) => probe.q !== prepareQuery(probeQueries[n]!))) {
    throw new Error(
      `The API's Meilisearch request is no longer "prepareQuery(q) + fixed options": ` +
        `${JSON.stringify(probes)}; update bench/api-bench-requests.ts`,
    );
  }
  const options = probes[0]!.options;
  return (q) => JSON.stringify({ q: prepareQuery(q), ...options });
}

/** Before measuring: the API and Meilisearch direct find the same number of pages for each query. */
export async function checkSameAnswers(
  apiOrigin: string,
  meili: { url: string; masterKey: string },
  indexUid: string,
  sample: string[],
  toMeiliBody: (q: string) => string,
) {
  let withHits = 0;
  for (const q of sample) {
    const viaApi = await fetch(`${apiOrigin}${apiPath(q)}`);
    const direct = await fetch(`${meili.url}/indexes/${indexUid}/search`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${meili.masterKey}`, 'Content-Type': 'application/json' },
      body: toMeiliBody(q),
    });
    const apiBody = (await viaApi.json()) as { totalHits?: number };
    const directBody = (await direct.json()) as { totalHits?: number };
    if (viaApi.status !== 200 || direct.status !== 200 || apiBody.totalHits !== directBody.totalHits) {
      throw new Error(
        `API and Meilisearch disagree on "${q}": ${viaApi.status} ${JSON.stringify(apiBody).slice(0, 300)} vs ` +
          `${direct.status} ${JSON.stringify(directBody).slice(0, 300)}`,
      );
    }
    if ((apiBody.totalHits ?? 0) > 0) withHits++;
  }
  console.log(`  Sanity check: ${sample.length} queries, same totalHits both ways, ${withHits} with hits.`);
}
