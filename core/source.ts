import { z } from 'zod';
import { DatasetSchema } from './dataset.ts';
import { durationText } from './duration.ts';
import { CurationSchema } from './source-curation.ts';
import { TerritoryCodeSchema } from './territory.ts';

export const SOURCE_KINDS = ['etat', 'collectivite', 'operateur', 'association'] as const;

const SourceUrlSchema = z
  .string()
  .superRefine((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a valid absolute URL: '${raw}'` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be http or https, got '${url.protocol}'` });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials (user@host)' });
    }
    if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not contain a #fragment' });
  })
  // The WHATWG parser lower-cases the host, drops a default port and punycodes IDNs.
  .transform((raw) => new URL(raw).href);

/** A path glob inside the source's origin, e.g. `/actualites/**`. */
const PathGlobSchema = z.string().startsWith('/', { message: "a path glob must start with '/'" });

export const CrawlRulesSchema = z
  .object({
    include: z.array(PathGlobSchema).min(1).default(['/**']),
    exclude: z.array(PathGlobSchema).default([]),
    maxPages: z.number().int().positive().max(1_000_000).default(2000),
    /** Politeness towards the source's host: simultaneous requests, and requests started per second. */
    maxConcurrency: z.number().int().min(1).max(16).default(2),
    requestsPerSecond: z.number().positive().max(50).default(2),
    /**
     * How often the scheduler recrawls the source (`6h`, `1d`, `1w`); unset: CRAWL_DEFAULT_INTERVAL.
     * Kept as written: the admin API writes entries back to sources.yaml.
     */
    every: durationText({ min: '1m', max: '365d' }).optional(),
  })
  .strict();

export const SourceSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a slug of [a-z0-9-], e.g. sete-agglopole' })
      .max(64),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(SOURCE_KINDS),
    url: SourceUrlSchema,
    territory: TerritoryCodeSchema,
    crawl: CrawlRulesSchema.prefault({}),
    /** A dataset source: its documents are the rows of these files, not the pages under `url`. */
    dataset: DatasetSchema.optional(),
    enabled: z.boolean().default(true),
    /** Who added the source, why, when it was last reviewed, whom to write to (source-curation.ts). */
    curation: CurationSchema.optional(),
  })
  .strict()
  .superRefine((source, ctx) => {
    // The whitelist names the host a dataset is fetched from: its files live on the source's origin.
    const origin = URL.canParse(source.url) ? new URL(source.url).origin : null;
    source.dataset?.files.forEach((file, index) => {
      if (origin && new URL(file.url).origin !== origin) {
        ctx.addIssue({
          code: 'custom',
          path: ['dataset', 'files', index, 'url'],
          message: `must be on the source's own host (${origin}); got '${file.url}'`,
        });
      }
    });
  });

export type Source = z.infer<typeof SourceSchema>;
export type SourceKind = Source['kind'];
export type CrawlRules = Source['crawl'];

export const SourcesFileSchema = z.object({ sources: z.array(z.unknown()) }).strict();
