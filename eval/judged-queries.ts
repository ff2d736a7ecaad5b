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

const FileSchema = z.object({ queries: z.array(JudgedQuerySchema).min(1) }).strict();

export const JUDGED_QUERIES_FILE = path.join(import.meta.dirname, 'judged-queries.yaml');

export async function loadJudgedQueries(file = JUDGED_QUERIES_FILE): Promise<JudgedQuery[]> {
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
  return parsed.data.queries;
}
