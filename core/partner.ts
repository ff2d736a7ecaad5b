import { z } from 'zod';
import { SOURCE_KINDS } from './source.ts';
import { TerritoryCodeSchema } from './territory.ts';

/**
 * An origin a partner's pages are served from, exactly as a browser sends it in `Origin`: scheme,
 * host and port, nothing else. A path or a trailing slash would never match, so it is refused here.
 */
const OriginSchema = z.string().superRefine((raw, ctx) => {
  if (!URL.canParse(raw)) {
    ctx.addIssue({ code: 'custom', message: `not a URL: '${raw}'` });
    return;
  }
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', message: `must be http or https, got '${url.protocol}'` });
  } else if (url.origin !== raw) {
    ctx.addIssue({
      code: 'custom',
      message: `must be an origin only (scheme, host, port), such as '${url.origin}'; got '${raw}'`,
    });
  }
});

const slug = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a slug of [a-z0-9-]' })
  .max(64);

/**
 * What a partner's key may search: each list narrows the results (values of one list are ORed, the
 * lists ANDed), and the API ANDs it with every request made with the key, so no request can widen it.
 */
export const PartnerScopeSchema = z
  .object({
    sources: z.array(slug).min(1).optional(),
    kinds: z.array(z.enum(SOURCE_KINDS)).min(1).optional(),
    themes: z.array(slug).min(1).optional(),
    /** A région also covers its départements, EPCIs and communes, as in a search's `territory`. */
    territories: z.array(TerritoryCodeSchema).min(1).optional(),
  })
  .strict();

export const PartnerSchema = z
  .object({
    id: slug,
    name: z.string().trim().min(1).max(200),
    /**
     * Public: it is written in the partner's pages. It names the partner, it does not prove anything;
     * the scope and the origins are what protect. Long and random so that nobody guesses another's.
     */
    key: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'must be 16 to 64 characters of [A-Za-z0-9_-]' }),
    origins: z.array(OriginSchema).min(1),
    scope: PartnerScopeSchema.prefault({}),
    /** Searches a minute for all the partner's visitors together (the key's allowance). */
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).default(600),
    enabled: z.boolean().default(true),
  })
  .strict();

export type Partner = z.infer<typeof PartnerSchema>;
export type PartnerScope = Partner['scope'];

export const PartnersFileSchema = z.object({ partners: z.array(z.unknown()) }).strict();
