import Database from 'better-sqlite3';
import type { Meilisearch } from 'meilisearch';
import { type RawPage, RawPageSchema } from '../../core/raw-page.ts';
import type { SearchDocument } from '../../core/search-document.ts';
import type { LoggedRequest, ServedSite } from '../../fixture-web/site-server.ts';

/** Every document of the index, as the search engine holds it (a test index holds a few hundred). */
export async function indexedDocuments(client: Meilisearch, indexUid: string): Promise<SearchDocument[]> {
  const { results } = await client.index(indexUid).getDocuments<SearchDocument>({ limit: 10_000 });
  return results;
}

/** The URLs of the index's documents, sorted, optionally those of one source only. */
export async function indexedUrls(
  client: Meilisearch,
  indexUid: string,
  sourceId?: string,
): Promise<string[]> {
  const documents = await indexedDocuments(client, indexUid);
  return documents
    .filter((document) => sourceId === undefined || document.source.id === sourceId)
    .map((document) => document.url)
    .sort();
}

/** The URLs of the hits for a query, in rank order. */
export async function searchUrls(client: Meilisearch, indexUid: string, query: string): Promise<string[]> {
  const { hits } = await client.index(indexUid).search<SearchDocument>(query, { limit: 50 });
  return hits.map((hit) => hit.url);
}

/**
 * The pages the crawl store hands to the indexer (deleted ones left out), read from its file: they
 * carry what the search document drops (page type, the full extracted text).
 */
export function storedPages(storeFile: string): Map<string, RawPage> {
  const db = new Database(storeFile, { readonly: true });
  try {
    const rows = db.prepare('SELECT page FROM documents WHERE deleted = 0').pluck().all() as string[];
    const pages = rows.map((row) => RawPageSchema.parse(JSON.parse(row)));
    return new Map(pages.map((page) => [page.url, page]));
  } finally {
    db.close();
  }
}

const DISCOVERY_PATHS = new Set(['/robots.txt', '/sitemap.xml']);

/** Requests for pages, robots.txt and sitemaps left out. */
export function pageRequests(site: ServedSite): LoggedRequest[] {
  return site.requests.filter((request) => !DISCOVERY_PATHS.has(request.path));
}

/** Requests whose path (query included) is exactly `path`, or whose pathname is `path` with `anyQuery`. */
export function requestsFor(site: ServedSite, path: string, { anyQuery = false } = {}): LoggedRequest[] {
  return site.requests.filter((request) =>
    anyQuery ? new URL(request.path, site.origin).pathname === path : request.path === path,
  );
}

/** The uid of the index's latest Meilisearch task: a bookmark for `documentWritesSince`. */
export async function latestTaskUid(client: Meilisearch, indexUid: string): Promise<number> {
  const { results } = await client.tasks.getTasks({ indexUids: [indexUid], limit: 1 });
  return results[0]?.uid ?? -1;
}

/** Documents Meilisearch was sent to add or replace, and to delete, in the index's tasks after `taskUid`. */
export async function documentWritesSince(
  client: Meilisearch,
  indexUid: string,
  taskUid: number,
): Promise<{ upserted: number; deleted: number }> {
  const { results } = await client.tasks.getTasks({ indexUids: [indexUid], limit: 1000 });
  const later = results.filter((task) => task.uid > taskUid);
  const sum = (type: string, count: (task: (typeof later)[number]) => number | undefined) =>
    later.filter((task) => task.type === type).reduce((total, task) => total + (count(task) ?? 0), 0);
  return {
    upserted: sum('documentAdditionOrUpdate', (task) => task.details?.receivedDocuments),
    deleted: sum('documentDeletion', (task) => task.details?.providedIds),
  };
}

/** The URLs the crawl store records as visited (done) by any run, read from its file. */
export function visitedUrls(storeFile: string): string[] {
  const db = new Database(storeFile, { readonly: true });
  try {
    return db.prepare("SELECT url FROM pages WHERE state = 'done'").pluck().all() as string[];
  } finally {
    db.close();
  }
}
