import { z } from 'zod';
import { ProjectFieldsSchema } from './dataset.ts';

export const PAGE_TYPES = [
  'page',
  'actualite',
  'deliberation',
  'evenement',
  'demarche',
  'document',
  /** A row of a dataset of public-action projects. */
  'projet',
] as const;
export type PageType = (typeof PAGE_TYPES)[number];

/** What the crawler hands to the indexer for one fetched, in-scope, indexable page or PDF. */
export const RawPageSchema = z.object({
  /** The URL the page is indexed under (after redirects and URL hygiene). */
  url: z.url(),
  sourceId: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string(),
  text: z.string(),
  headings: z.array(z.string()).default([]),
  lang: z.string().nullable(),
  publishedAt: z.string().nullable().default(null),
  updatedAt: z.string().nullable().default(null),
  pageType: z.enum(PAGE_TYPES).default('page'),
  /** Hash of the extracted content: equal hashes mean nothing to re-index. */
  contentHash: z.string(),
  fetchedAt: z.iso.datetime(),
  /**
   * The territory the document is about when it is not its source's: a dataset row's beneficiary
   * (`commune:01002`). A code the official list does not know falls back to its département.
   */
  territory: z.string().nullable().optional(),
  /** A dataset row: the project's year, scheme, beneficiary and amounts. */
  project: ProjectFieldsSchema.nullable().optional(),
});

export type RawPage = z.infer<typeof RawPageSchema>;
