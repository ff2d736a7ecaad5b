import { type Meilisearch, MeilisearchApiError } from 'meilisearch';

/**
 * What Meilisearch answers when the API asks for a field the index does not know yet: the index
 * exists but its settings are still queued (no filterable or sortable attributes), or it has its
 * settings but no page was ever indexed (no `title` field to search on). The API only names fields
 * the settings in code declare, so these mean "not prepared yet", not a bad request.
 */
const UNPREPARED_INDEX_ERRORS: ReadonlySet<string> = new Set([
  'invalid_search_attributes_to_search_on',
  'invalid_search_filter',
  'invalid_search_sort',
  'invalid_search_facets',
]);

/**
 * Runs `search`; if the index turns out not to be prepared yet and holds no document (a fresh
 * install before its first crawl), answers `empty()` instead of an error: there is nothing to find,
 * which is the truth. An index with documents that refuses a field the code relies on keeps its
 * error: its settings are stale (see `npm run index:settings`), and that must show.
 */
export async function emptyWhileUnprepared<T>(
  client: Meilisearch,
  indexUid: string,
  search: () => Promise<T>,
  empty: () => T,
): Promise<T> {
  try {
    return await search();
  } catch (error) {
    if (!(error instanceof MeilisearchApiError && UNPREPARED_INDEX_ERRORS.has(error.cause?.code ?? ''))) {
      throw error;
    }
    // A search the API's search-only key may make (it may not read the index's stats).
    const { estimatedTotalHits } = await client.index(indexUid).search('', { limit: 0 });
    if (estimatedTotalHits !== 0) throw error;
    return empty();
  }
}
