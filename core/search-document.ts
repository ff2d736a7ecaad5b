import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SOURCE_KINDS } from './source.ts';

/** The one shape of what goes into Meilisearch, and of what comes back from it. */
export const SearchDocumentSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,511}$/),
  url: z.url(),
  title: z.string(),
  description: z.string(),
  content: z.string(),
  source: z.object({ id: z.string(), name: z.string(), kind: z.enum(SOURCE_KINDS) }),
  territory: z.string(),
  lang: z.string().nullable(),
  crawledAt: z.iso.datetime(),
  contentHash: z.string(),
});

export type SearchDocument = z.infer<typeof SearchDocumentSchema>;

/** Longest content kept per document: enough for relevant snippets, small enough to index fast. */
export const MAX_CONTENT_LENGTH = 20_000;

/**
 * Same URL, same id: the SHA-256 of the canonical URL, base64url (Meilisearch ids allow only
 * [A-Za-z0-9_-]). 22 characters (128 bits) are plenty to never collide.
 */
export function documentIdForUrl(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl).digest('base64url').slice(0, 22);
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}
