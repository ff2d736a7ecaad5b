import { z } from 'zod';

/** What the crawler hands to the indexer for one fetched, in-scope, indexable page. */
export const RawPageSchema = z.object({
  /** The URL the page is indexed under (after redirects and URL hygiene). */
  url: z.url(),
  sourceId: z.string(),
  status: z.number().int(),
  title: z.string(),
  description: z.string(),
  text: z.string(),
  lang: z.string().nullable(),
  fetchedAt: z.iso.datetime(),
});

export type RawPage = z.infer<typeof RawPageSchema>;
