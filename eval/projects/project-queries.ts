import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const PROJECT_QUERY_KINDS = [
  'short',
  'synonym',
  'abbreviation',
  'typo',
  'accents',
  'question',
  'territory',
] as const;

/**
 * An official's query over the DGCL projects, judged over the whole data from the need (not from a
 * search's results) by someone who saw neither the search code nor any result. Rows are `YYYY:N`:
 * the N-th record of that year's file.
 */
const ProjectQuerySchema = z
  .object({
    q: z.string().trim().min(1),
    kinds: z.array(z.enum(PROJECT_QUERY_KINDS)).min(1),
    need: z.string().min(1),
    territory: z.string().optional(),
    /** Population of the beneficiary commune: `<500`, `500-2000`, `2000-10000`, `10000-50000`, `>50000`. */
    size: z.enum(['<500', '500-2000', '2000-10000', '10000-50000', '>50000']).optional(),
    scheme: z.string().optional(),
    year: z.number().int().optional(),
    relevant: z.record(z.string().regex(/^\d{4}:\d+$/), z.union([z.literal(1), z.literal(2)])),
  })
  .strict()
  .refine((query) => Object.values(query.relevant).includes(2), { message: 'needs one grade-2 row' });

export type ProjectQuery = z.infer<typeof ProjectQuerySchema>;

const FileSchema = z.object({ queries: z.array(ProjectQuerySchema).min(1) }).strict();

export const PROJECT_QUERIES_FILE = path.join(import.meta.dirname, 'judged-queries.yaml');

export async function loadProjectQueries(file = PROJECT_QUERIES_FILE): Promise<ProjectQuery[]> {
  const parsed = FileSchema.safeParse(parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid judged queries in ${file}:\n${problems.join('\n')}`);
  }
  return parsed.data.queries;
}

/** The population range a size names. */
export function populationRange(
  size: ProjectQuery['size'],
): { min: number | null; max: number | null } | undefined {
  switch (size) {
    case '<500':
      return { min: null, max: 499 };
    case '500-2000':
      return { min: 500, max: 1999 };
    case '2000-10000':
      return { min: 2000, max: 9999 };
    case '10000-50000':
      return { min: 10_000, max: 49_999 };
    case '>50000':
      return { min: 50_000, max: null };
    default:
      return undefined;
  }
}
