import { z } from '@hono/zod-openapi';
import { PAGE_TYPES } from '../core/raw-page.ts';
import { SOURCE_KINDS } from '../core/source.ts';
import { parseTerritoryCode } from '../core/territory.ts';
import { SIZE_BRACKETS } from '../core/territory-size.ts';

export const MAX_QUERY_LENGTH = 500;
export const MAX_HITS_PER_PAGE = 50;
/** Deep pages cost Meilisearch a lot and nobody reads them: page × hitsPerPage stays under this. */
export const MAX_RESULT_DEPTH = 1000;
export const FACETS = [
  'source',
  'kind',
  'territory',
  'size',
  'theme',
  'type',
  'lang',
  'year',
  'scheme',
] as const;
export const SORTS = ['relevance', 'date', 'cost', 'grant'] as const;
export type Facet = (typeof FACETS)[number];

/** `a,b,c` → ['a','b','c'], each checked by `item`; at most 20 values, so a filter stays small. */
function list<T extends string>(item: z.ZodType<T, string>, description: string) {
  return z
    .string()
    .max(1000)
    .transform((raw) =>
      raw
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(20))
    .optional()
    .openapi({ type: 'string', description: `${description} (comma-separated)` });
}

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a slug of [a-z0-9-]')
  .max(64);
const isoDay = z.iso.date('must be a date YYYY-MM-DD');

export const TerritoryParam = z
  .string()
  .max(40)
  .superRefine((raw, ctx) => {
    const parsed = parseTerritoryCode(raw);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
  });

/** `min-max` in whole numbers, either side optional (`100000-`, `-50000`): a range filter. */
function range(description: string, example: string) {
  return z
    .string()
    .max(40)
    .regex(/^\d{0,12}-\d{0,12}$/, 'must be a range MIN-MAX of whole numbers, either side optional')
    .transform((raw) => {
      const [min, max] = raw.split('-');
      return { min: min ? Number(min) : null, max: max ? Number(max) : null };
    })
    .refine((bounds) => bounds.min !== null || bounds.max !== null, 'needs a minimum or a maximum')
    .refine((bounds) => bounds.min === null || bounds.max === null || bounds.min <= bounds.max, {
      message: 'the minimum must not exceed the maximum',
    })
    .optional()
    .openapi({ type: 'string', description, example });
}

const CommuneParam = z
  .string()
  .max(20)
  .regex(/^commune:(\d{5}|2[AB]\d{3})$/, 'must be a commune code, commune:<INSEE code> (e.g. commune:34108)');

/**
 * A partner's key (partners.yaml): the partner-access middleware reads it before validation; here it
 * is only described and bounded.
 */
export const PartnerKeyParam = z.string().max(64).optional().openapi({
  description:
    "A partner's key: its scope (partners.yaml) is applied to the search, which can only narrow it",
});

/**
 * Every search parameter, validated before anything reaches Meilisearch: filters are later built
 * from these values only, never from raw user text (see search-filter.ts).
 */
export const SearchParamsSchema = z
  .object({
    q: z.string().trim().max(MAX_QUERY_LENGTH).default('').openapi({
      description: 'Words to search for; "quoted phrases" and -exclusions work',
    }),
    source: list(slug, 'Source ids'),
    kind: list(z.enum(SOURCE_KINDS), 'Source kinds'),
    territory: TerritoryParam.optional().openapi({
      description: 'A territory code; a région also matches its départements, EPCIs and communes',
      example: 'region:76',
    }),
    size: list(z.enum(SIZE_BRACKETS), 'Population brackets of communes and EPCIs'),
    theme: list(slug, 'Theme slugs (see /v1/themes)'),
    type: list(z.enum(PAGE_TYPES), 'Page types'),
    lang: list(z.string().regex(/^[a-z]{2}$/, 'must be a 2-letter language code'), 'Languages'),
    from: isoDay.optional().openapi({ description: 'Pages dated on or after this day' }),
    to: isoDay.optional().openapi({ description: 'Pages dated on or before this day' }),
    year: list(
      z.string().regex(/^(19|20|21)\d{2}$/, 'must be a year such as 2023'),
      'Years of projects (dataset rows), e.g. 2023,2024',
    ),
    scheme: list(
      z.string().regex(/^[\p{L}\p{N} _.'-]{1,60}$/u, 'must be a scheme name such as DETR or DSIL'),
      'Grant schemes of projects (DETR, DSIL, DPV, DSID)',
    ),
    cost: range('Project cost before tax, in euros: MIN-MAX', '100000-500000'),
    grant: range('Grant obtained, in euros: MIN-MAX', '50000-'),
    population: range(
      'Population of the commune or EPCI a document is about: MIN-MAX (e.g. villages: 0-2000)',
      '1000-2000',
    ),
    like: CommuneParam.optional().openapi({
      description:
        'Towns like mine: documents of other communes of the same size bracket as this one, in its département (or région, see likeArea)',
      example: 'commune:34108',
    }),
    likeArea: z.enum(['departement', 'region']).optional().openapi({
      description:
        'Where "towns like mine" are looked for: the commune’s département (default) or its région',
    }),
    sort: z.enum(SORTS).default('relevance').openapi({
      description: 'relevance; date (newest first); cost or grant (largest first, projects)',
    }),
    page: z.coerce.number().int().min(1).default(1),
    hitsPerPage: z.coerce.number().int().min(1).max(MAX_HITS_PER_PAGE).default(10),
    facets: list(z.enum(FACETS), 'Filters to count values of'),
    key: PartnerKeyParam,
  })
  .strict()
  .refine((params) => params.page * params.hitsPerPage <= MAX_RESULT_DEPTH, {
    message: `page × hitsPerPage must not exceed ${MAX_RESULT_DEPTH}`,
    path: ['page'],
  })
  .refine((params) => !params.from || !params.to || params.from <= params.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export type SearchParams = z.infer<typeof SearchParamsSchema>;
