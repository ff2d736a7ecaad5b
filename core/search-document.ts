import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProjectFieldsSchema } from './dataset.ts';
import { PAGE_TYPES } from './raw-page.ts';
import { SOURCE_KINDS } from './source.ts';
import { TERRITORY_LEVELS } from './territory.ts';

const NamedCode = z.object({ code: z.string(), name: z.string() });

/** Where a document comes from, resolved from the official administrative split. */
export const DocumentTerritorySchema = z.object({
  code: z.string(),
  level: z.enum(TERRITORY_LEVELS),
  name: z.string(),
  departement: NamedCode.nullable(),
  region: NamedCode.nullable(),
  population: z.number().nullable(),
  sizeBracket: z.string().nullable(),
  /** Itself and every wider territory it belongs to: a filter on `region:76` matches its communes. */
  codes: z.array(z.string()),
});

/** The stems of a document's text fields; `content` stems only the start of a long body. */
export const StemmedTextSchema = z.object({
  title: z.string(),
  headings: z.string(),
  description: z.string(),
  content: z.string(),
});

/** The one shape of what goes into Meilisearch, and of what comes back from it. */
export const SearchDocumentSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,511}$/),
  url: z.url(),
  title: z.string(),
  description: z.string(),
  content: z.string(),
  headings: z.array(z.string()),
  /**
   * Light French stems (indexer/french-stem.ts) of the text fields, each searchable right after the
   * field it comes from, never shown: Meilisearch does no French stemming, so the API searches with
   * the stems of the query words (api/query-text.ts). Optional: documents indexed before it existed
   * have none (`npm run reindex` adds it).
   */
  stemmed: StemmedTextSchema.optional(),
  source: z.object({ id: z.string(), name: z.string(), kind: z.enum(SOURCE_KINDS) }),
  territory: DocumentTerritorySchema,
  themes: z.array(z.string()),
  type: z.enum(PAGE_TYPES),
  lang: z.string().nullable(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  crawledAt: z.iso.datetime(),
  /** Seconds since the epoch of the page's own date (published, else updated, else crawled): filters and sorts. */
  dateTs: z.number().int(),
  contentHash: z.string(),
  /** Ranking signals computed at index time (Meilisearch has no query-time boosts); higher ranks first. */
  trust: z.number().int().min(0).max(10),
  freshness: z.number().int().min(0).max(100),
  formatRank: z.number().int().min(0).max(1),
  /**
   * Words in the title, a last tie-breaker before trust: of two pages that match equally, the general
   * one ("Congés payés") has a shorter title than its special cases ("Congés payés d'une assistante
   * maternelle"). Optional like `stemmed`.
   */
  titleWords: z.number().int().min(0).optional(),
  /** A dataset row (type `projet`): year, scheme, beneficiary, amounts, and the dataset it comes from. */
  project: ProjectFieldsSchema.optional(),
});

export type SearchDocument = z.infer<typeof SearchDocumentSchema>;
export type DocumentTerritory = z.infer<typeof DocumentTerritorySchema>;
export type StemmedText = z.infer<typeof StemmedTextSchema>;

/** Longest content kept per document: enough for relevant snippets, small enough to index fast. */
export const MAX_CONTENT_LENGTH = 20_000;

/**
 * Same URL, same id: the SHA-256 of the canonical URL, base64url (Meilisearch ids allow only
 * [A-Za-z0-9_-]). 22 characters (128 bits) are plenty to never collide.
 */
export function documentIdForUrl(canonicalUrl: string): string {
  return createHash('sha256').update(canonicalUrl).digest('base64url').slice(0, 22);
}

export { contentHash } from './content-hash.ts';
