import { z } from 'zod';

/**
 * A dry run of a source's scope (`POST /v1/admin/sources/{id}/preview`): the first URLs its crawl
 * would take, and the ones it would refuse with the rule that refuses them. Built by
 * crawler/scope-preview.ts; nothing is written to the store or the index.
 */
export const ScopePreviewSchema = z.object({
  sourceId: z.string(),
  robots: z.string(),
  taken: z.array(z.object({ url: z.string(), via: z.string() })),
  refused: z.array(z.object({ url: z.string(), reason: z.string() })),
  /** Refused URLs found beyond the list's length. */
  moreRefused: z.number(),
  /** Requests sent for the preview (robots.txt and sitemaps included). */
  requests: z.number(),
  /** Why the preview stopped: enough URLs, nothing more to follow, or its request budget. */
  stoppedBecause: z.string(),
});
export type ScopePreview = z.infer<typeof ScopePreviewSchema>;
