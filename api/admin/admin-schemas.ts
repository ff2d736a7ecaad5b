import { z } from '@hono/zod-openapi';
import { SOURCE_KINDS } from '../../core/source.ts';
import { ErrorSchema } from '../api-schemas.ts';
import { FAILURE_CAUSES } from '../../store/source-health.ts';

/** The admin API's shapes, for validation of what comes in and the OpenAPI description of what goes out. */

export const SourceIdParams = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'not a source id')
    .max(64),
});

const HealthCauseSchema = z.object({ cause: z.enum(FAILURE_CAUSES), detail: z.string() });

export const SourceStatusSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(SOURCE_KINDS),
    url: z.string(),
    territory: z.string(),
    enabled: z.boolean(),
    /** The whole entry as sources.yaml holds it once validated (crawl rules with their defaults). */
    entry: z.record(z.string(), z.unknown()),
    curation: z.record(z.string(), z.string()).nullable(),
    review: z.object({ lastReviewedOn: z.string().nullable(), overdue: z.boolean() }),
    status: z
      .enum(['ok', 'attention', 'failing', 'suspended', 'disabled', 'never-crawled'])
      .openapi({ description: 'What an admin should look at first' }),
    crawling: z
      .boolean()
      .openapi({ description: 'A crawl of it runs now (a recrawl asked here, or npm run crawl)' }),
    lastCrawl: z
      .object({
        startedAt: z.string(),
        durationMs: z.number(),
        result: z.enum(['complete', 'incomplete', 'deletions-held', 'quarantined']),
        incomplete: z.string().nullable(),
        new: z.number(),
        changed: z.number(),
        unchanged: z.number(),
        deleted: z.number(),
        fetched: z.number(),
        errors: z.record(z.string(), z.number()).openapi({ description: 'Errors by kind' }),
        errorSamples: z.array(z.object({ url: z.string(), error: z.string() })),
      })
      .nullable(),
    documents: z.object({
      indexed: z.number().openapi({ description: 'In the index now' }),
      inStore: z.number().openapi({ description: 'In the crawl store, on their way to the index or in it' }),
      pending: z.number(),
      quarantined: z.number(),
    }),
    heldDeletions: z.number(),
    failures: z.object({ consecutive: z.number(), causes: z.array(HealthCauseSchema) }),
    suspended: z.object({ since: z.string(), causes: z.array(HealthCauseSchema) }).nullable(),
    nextCrawl: z.string().nullable().openapi({
      description:
        'When the scheduler crawls it next (now, if it is due); null when it is not scheduled: disabled, suspended, or SCHEDULER=off',
    }),
  })
  .openapi('AdminSourceStatus');
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

/** A source entry as an admin sends it: checked as a whole against the sources file's rules. */
export const SourceEntryBody = z
  .record(z.string(), z.unknown())
  .refine((entry) => typeof entry.id === 'string', { message: 'a source needs an id' })
  .openapi({ description: 'A sources.yaml entry (see README, Add a source), as JSON' });

/** A JSON merge patch of an entry: objects merge, null removes a field; the id cannot change. */
export const SourcePatchBody = z
  .record(z.string(), z.unknown())
  .refine((patch) => !('id' in patch), { message: "a source's id cannot change" })
  .openapi({ description: 'A JSON merge patch (RFC 7386) of the entry' });

export const AuditEntrySchema = z
  .object({
    id: z.number(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .openapi('AuditEntry');

export const BestBetSchema = z
  .object({
    id: z.number(),
    url: z.string(),
    queries: z.array(z.string()),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    createdAt: z.string(),
    createdBy: z.string(),
    active: z.boolean(),
  })
  .openapi('BestBet');

export const ADMIN_ERROR_RESPONSES = {
  401: { content: { 'application/json': { schema: ErrorSchema } }, description: 'No valid admin token' },
  403: {
    content: { 'application/json': { schema: ErrorSchema } },
    description: 'The token lacks the write right',
  },
} as const;
