import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError, type ConfigProblem, formatProblem } from '../core/errors.ts';

/**
 * The reviewed French public-administration synonyms (`indexer/synonyms.yaml`) and the Meilisearch
 * `synonyms` setting built from them, so that "carte grise" finds "certificat d'immatriculation".
 */

export interface OneWaySynonym {
  from: string;
  to: string[];
}

export interface Synonyms {
  /** Groups of terms that each find the others. */
  equivalents: string[][];
  /** A term (often an ambiguous acronym) that finds the others, which do not find it back. */
  oneWay: OneWaySynonym[];
}

/**
 * Meilisearch looks synonyms up only for runs of 1 to 3 query words, so a longer term is found
 * through a shorter one but never finds anything itself.
 */
export const MAX_KEY_WORDS = 3;
/** Multi-word synonyms cost query time in Meilisearch (at most 100 words derived from one): keep them short. */
const MAX_TERM_LENGTH = 50;
const MAX_GROUP_SIZE = 10;

export class SynonymsFileError extends AppError {
  readonly code = 'invalid_synonyms_file';
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid synonyms file:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}

const TermSchema = z
  .string()
  .max(MAX_TERM_LENGTH)
  .refine((term) => foldTerm(term).length > 0, { message: 'is empty' })
  .refine((term) => term === normalizeTerm(term), {
    message: 'must be lowercase, with single spaces and straight apostrophes',
  });
const GroupSchema = z.array(TermSchema).min(2).max(MAX_GROUP_SIZE);
const OneWaySchema = z
  .object({ from: TermSchema, to: z.array(TermSchema).min(1).max(MAX_GROUP_SIZE) })
  .strict();
const FileSchema = z
  .object({ equivalents: z.array(z.unknown()).default([]), oneWay: z.array(z.unknown()).default([]) })
  .strict();

/** Reads and validates a synonyms file; throws `SynonymsFileError` naming the file, entry and field. */
export async function loadSynonyms(file: string): Promise<Synonyms> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'file not found' : String(error);
    throw new SynonymsFileError([{ file, message: `cannot read: ${reason}` }]);
  });
  return parseSynonyms(text, file);
}

/**
 * Several synonyms files as one setting (the general list and the projects' vocabulary): each file
 * is checked on its own, then a term may still be in one group only across them all.
 */
export async function loadSynonymFiles(files: readonly string[]): Promise<Synonyms> {
  const loaded = await Promise.all(files.map(async (file) => ({ file, synonyms: await loadSynonyms(file) })));
  const problems: ConfigProblem[] = [];
  const owner = new Map<string, string>();
  const claim = (term: string, file: string, entry: string) => {
    const other = owner.get(foldTerm(term));
    if (other === undefined) owner.set(foldTerm(term), file);
    else if (other !== file) problems.push({ file, entry, message: `'${term}' is already in ${other}` });
  };
  for (const { file, synonyms } of loaded) {
    synonyms.equivalents.forEach((group) =>
      group.forEach((term) => claim(term, file, `equivalents (${group[0]})`)),
    );
  }
  const oneWayOwner = new Map<string, string>();
  for (const { file, synonyms } of loaded) {
    for (const { from } of synonyms.oneWay) {
      const other = oneWayOwner.get(foldTerm(from));
      if (other !== undefined && other !== file) {
        problems.push({
          file,
          entry: `oneWay (${from})`,
          message: `'${from}' is already a oneWay term of ${other}`,
        });
      }
      oneWayOwner.set(foldTerm(from), file);
    }
  }
  if (problems.length > 0) throw new SynonymsFileError(problems);
  return {
    equivalents: loaded.flatMap(({ synonyms }) => synonyms.equivalents),
    oneWay: loaded.flatMap(({ synonyms }) => synonyms.oneWay),
  };
}

/** Validates the text of a synonyms file. Pure: `file` only names the file in problems. */
export function parseSynonyms(text: string, file: string): Synonyms {
  const document = parseDocument(text, { uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    throw new SynonymsFileError([{ file, message: `not valid YAML: ${yamlError.message.split('\n')[0]}` }]);
  }
  const top = FileSchema.safeParse(document.toJS() ?? {});
  if (!top.success) {
    throw new SynonymsFileError(
      top.error.issues.map((issue) => ({
        file,
        field: issue.path.join('.') || undefined,
        message: issue.message,
      })),
    );
  }
  const problems: ConfigProblem[] = [];
  const issuesOf = (entry: string, error: z.ZodError): ConfigProblem[] =>
    error.issues.map((issue) => ({ file, entry, field: fieldOf(issue.path), message: issue.message }));
  const labelOf = (kind: string, index: number, first: unknown) =>
    typeof first === 'string' && first ? `${kind}[${index}] (${first})` : `${kind}[${index}]`;
  /** Records where `term` is first used; checked on raw entries, so that even an invalid one counts. */
  const claim = (seen: Map<string, string>, term: unknown, entry: string, field: string) => {
    if (typeof term !== 'string' || !foldTerm(term)) return;
    const other = seen.get(foldTerm(term));
    if (other === undefined) seen.set(foldTerm(term), entry);
    else {
      const where = other === entry ? 'this entry' : other;
      problems.push({ file, entry, field, message: `'${term}' is already in ${where}` });
    }
  };

  // A term in two groups would join them in Meilisearch: the reviewer should merge them instead.
  const groupOfTerm = new Map<string, string>();
  const equivalents: string[][] = [];
  top.data.equivalents.forEach((raw, index) => {
    const entry = labelOf('equivalents', index, Array.isArray(raw) ? raw[0] : undefined);
    if (Array.isArray(raw)) raw.forEach((term, at) => claim(groupOfTerm, term, entry, `[${at}]`));
    const parsed = GroupSchema.safeParse(raw);
    if (!parsed.success) problems.push(...issuesOf(entry, parsed.error));
    else if (parsed.data.every((term) => wordCount(term) > MAX_KEY_WORDS)) {
      const message = `no term of ${MAX_KEY_WORDS} words or fewer: Meilisearch would never use it`;
      problems.push({ file, entry, message });
    } else equivalents.push(parsed.data);
  });

  const oneWayOfTerm = new Map<string, string>();
  const oneWay: OneWaySynonym[] = [];
  top.data.oneWay.forEach((raw, index) => {
    const { from, to } = (raw ?? {}) as { from?: unknown; to?: unknown };
    const entry = labelOf('oneWay', index, from);
    claim(oneWayOfTerm, from, entry, 'from');
    const targets = new Map<string, string>([[typeof from === 'string' ? foldTerm(from) : '', entry]]);
    if (Array.isArray(to)) to.forEach((term, at) => claim(targets, term, entry, `to[${at}]`));
    const parsed = OneWaySchema.safeParse(raw);
    if (!parsed.success) problems.push(...issuesOf(entry, parsed.error));
    else if (wordCount(parsed.data.from) > MAX_KEY_WORDS) {
      const message = `more than ${MAX_KEY_WORDS} words: Meilisearch never expands it`;
      problems.push({ file, entry, field: 'from', message });
    } else oneWay.push(parsed.data);
  });
  if (problems.length > 0) throw new SynonymsFileError(problems);
  return { equivalents, oneWay };
}

/**
 * The Meilisearch `synonyms` setting: each term of a group maps to all the others, a one-way term to
 * its targets only. Terms longer than Meilisearch looks up are left out as keys (they stay targets).
 */
export function toMeilisearchSynonyms(synonyms: Synonyms): Record<string, string[]> {
  const setting = new Map<string, Set<string>>();
  // Meilisearch folds keys itself: two spellings of one key ("hôpital", "hopital") must be one entry.
  const spellings = new Map<string, string>();
  const add = (term: string, targets: string[]) => {
    if (wordCount(term) > MAX_KEY_WORDS) return;
    const key = spellings.get(foldTerm(term)) ?? term;
    spellings.set(foldTerm(term), key);
    const set = setting.get(key) ?? new Set<string>();
    for (const target of targets) if (foldTerm(target) !== foldTerm(key)) set.add(target);
    setting.set(key, set);
  };
  for (const group of synonyms.equivalents) for (const term of group) add(term, group);
  for (const { from, to } of synonyms.oneWay) add(from, to);
  return Object.fromEntries([...setting].map(([key, targets]) => [key, [...targets]]));
}

/** How a term should be written: lowercase, single spaces, straight apostrophes. */
function normalizeTerm(term: string): string {
  return term.normalize('NFC').toLowerCase().replace(/[’ʼ]/g, "'").replace(/\s+/g, ' ').trim();
}

/** A term as Meilisearch compares it: lowercase words without accents, punctuation as a separator. */
function foldTerm(term: string): string {
  return term
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** `['to', 1]` -> `to[1]`, as the field is written in the file. */
function fieldOf(path: PropertyKey[]): string | undefined {
  const field = path.reduce<string>(
    (at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`),
    '',
  );
  return field.replace(/^\./, '') || undefined;
}

function wordCount(term: string): number {
  return foldTerm(term).split(' ').filter(Boolean).length;
}
