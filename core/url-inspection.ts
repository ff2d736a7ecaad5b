import { z } from 'zod';

/**
 * The answer to "why is this URL missing?" (`GET /v1/admin/urls`, `npm run url:check`): each thing
 * that decides whether a URL is in the index, in the order the crawl meets them. Built by
 * workflow/url-inspector.ts; a schema here so that the API and the command line share it.
 */
export const UrlInspectionSchema = z.object({
  url: z.string(),
  /** The URL as the crawl would queue it: fragment and tracking parameters dropped. */
  checkedUrl: z.string(),
  source: z.object({ id: z.string(), name: z.string(), enabled: z.boolean() }).nullable(),
  scope: z.object({
    inScope: z.boolean(),
    /** Which rule decided, in words: the source and glob that took it, or why none did. */
    rule: z.string(),
  }),
  robots: z.object({
    verdict: z.enum(['allowed', 'disallowed', 'no-robots-txt', 'unreachable', 'not-checked']),
    /** The robots.txt line that decides, e.g. `Disallow: /prive/` (line 4). */
    rule: z.string().nullable(),
    detail: z.string(),
  }),
  /** The crawl's last visit of this URL; null when no crawl ever queued it. */
  lastFetch: z
    .object({
      at: z.string().nullable(),
      httpStatus: z.number().nullable(),
      outcome: z.string().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /** The canonical URL the page declared (another URL of a trusted source), when it declared one. */
  canonical: z.string().nullable(),
  index: z.object({
    indexed: z.boolean(),
    /** The URL the document is indexed under: this one, or its canonical. */
    indexedUrl: z.string().nullable(),
    reason: z.string(),
  }),
});
export type UrlInspection = z.infer<typeof UrlInspectionSchema>;
