import type { Meilisearch } from 'meilisearch';
import type { Logger } from '../core/logger.ts';
import { documentIdForUrl } from '../core/search-document.ts';
import type { DocumentStore } from '../store/document-store.ts';
import { DEFAULT_RETRY_POLICY, withMeiliRetry } from './meili-retry.ts';
import { awaitTask } from './meili-task.ts';
import { freshnessOf, pageDateOf } from './ranking-signals.ts';

const LAST_REFRESH_KEY = 'freshness-refreshed-at';
const PAGE_SIZE = 5000;

/**
 * Freshness depends on today's date, not on the page: a document not re-crawled would keep the
 * score it had when sent. This sends a partial update (id + freshness) for the live documents whose
 * score changed since the last refresh (or since they were sent), and nothing for the others.
 */
export async function refreshFreshness(options: {
  documents: DocumentStore;
  client: Meilisearch;
  indexUid: string;
  log: Logger;
  now: Date;
}): Promise<number> {
  const { documents, client, indexUid, now } = options;
  const lastRefresh = documents.meta(LAST_REFRESH_KEY);
  let updated = 0;
  let afterUrl = '';
  for (;;) {
    const batch = documents.liveDocuments(afterUrl, PAGE_SIZE);
    if (batch.length === 0) break;
    afterUrl = batch.at(-1)!.url;
    const changes = batch.flatMap(({ url, page }) => {
      if (!page) return [];
      const pageDate = pageDateOf(page);
      // What the index holds: the score as of the last refresh, or as of when the page was sent.
      const then = new Date(lastRefresh && lastRefresh > page.fetchedAt ? lastRefresh : page.fetchedAt);
      const freshness = freshnessOf(pageDate, now);
      return freshness === freshnessOf(pageDate, then) ? [] : [{ id: documentIdForUrl(url), freshness }];
    });
    if (changes.length > 0) {
      await withMeiliRetry(
        () => awaitTask(client, client.index(indexUid).updateDocuments(changes)),
        DEFAULT_RETRY_POLICY,
        options.log,
      );
    }
    updated += changes.length;
  }
  documents.setMeta(LAST_REFRESH_KEY, now.toISOString());
  return updated;
}
