import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** 2 = the answer, 1 = also relevant. */
export type Grade = 1 | 2;

export const QUERY_KINDS = [
  'paraphrase',
  'acronym',
  'typo',
  'accents',
  'plural',
  'question',
  'lay',
  'verb',
  'territory',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

const JudgedQuerySchema = z
  .object({
    q: z.string().trim().min(1),
    kinds: z.array(z.enum(QUERY_KINDS)).min(1),
    /** A territory code the API would filter on (`territory=commune:34108`). */
    territory: z.string().optional(),
    /** Written after the tuning, to check that it generalises; reported on its own too. */
    heldOut: z.boolean().default(false),
    /** Which held-out set: each was written before a tuning round and is reported on its own. */
    round: z.number().int().min(1).default(1),
    /** Fiche id (F1050), or `<fiche>@<source>` for a copy published by a local source. */
    relevant: z.record(z.string().regex(/^[A-Z]+\d+(@[a-z0-9-]+)?$/), z.union([z.literal(1), z.literal(2)])),
  })
  .strict()
  .refine((query) => Object.values(query.relevant).includes(2), { message: 'needs one answer (grade 2)' })
  .refine((query) => (query.territory !== undefined) === query.kinds.includes('territory'), {
    message: "a territory query has kind 'territory' and a territory, and only it",
  })
  .refine((query) => query.heldOut || query.round === 1, { message: 'only a held-out query has a round' });

export type JudgedQuery = z.infer<typeof JudgedQuerySchema>;

/**
 * Whether a held-out round's results (or its queries, through a synonym copied from one) reached the
 * tuning: a seen round is tuning data. Only an unseen round checks that the tuning generalises.
 */
const RoundSchema = z.object({ seen: z.boolean(), note: z.string().min(1) }).strict();
export type HeldOutRound = z.infer<typeof RoundSchema>;

const FileSchema = z
  .object({
    rounds: z.record(z.string().regex(/^\d+$/), RoundSchema),
    queries: z.array(JudgedQuerySchema).min(1),
  })
  .strict()
  .refine(
    (file) => file.queries.every((query) => !query.heldOut || file.rounds[String(query.round)] !== undefined),
    { message: 'every held-out round is listed under `rounds` (seen or not)' },
  );

export interface JudgedQueries {
  queries: JudgedQuery[];
  /** Held-out rounds by number. */
  rounds: ReadonlyMap<number, HeldOutRound>;
}

export const JUDGED_QUERIES_FILE = path.join(import.meta.dirname, 'judged-queries.yaml');

export async function loadJudgedQueries(file = JUDGED_QUERIES_FILE): Promise<JudgedQueries> {
  const parsed = FileSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid judged queries in ${file}:\n${problems.join('\n')}`);
  }
  const seen = new Set<string>();
  for (const query of parsed.data.queries) {
    const key = `${query.q}|${query.territory ?? ''}`;
    if (seen.has(key)) throw new Error(`Query judged twice in ${file}: ${query.q}`);
    seen.add(key);
  }
  const rounds = new Map(Object.entries(parsed.data.rounds).map(([round, info]) => [Number(round), info]));
  return { queries: parsed.data.queries, rounds };
}

/** The held-out rounds nobody has looked at yet: `npm run eval` hides them unless told to reveal one. */
export function unseenRounds(rounds: ReadonlyMap<number, HeldOutRound>): number[] {
  return [...rounds].filter(([, round]) => !round.seen).map(([number]) => number);
}
