import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError, type ConfigProblem, formatProblem } from '../core/errors.ts';

/**
 * The themes taxonomy (`indexer/themes.yaml`) and the tagger that files a page under a few themes.
 * Rules are weighted French phrases matched on folded words, so that a reviewer can read and fix why
 * a page got a theme, which a statistical classifier would not let them do.
 */

/** A page as the tagger sees it: the title counts most, running text least. */
export interface ThemeDocument {
  title: string;
  description?: string;
  headings?: string[];
  content: string;
}

/** `words`: the phrase folded (see `foldWords`), looked for as a run of whole words. */
export type ThemeKeyword = { phrase: string; words: string[]; weight: number };

const PhraseSchema = z.string().refine((phrase) => foldWords(phrase).length > 0, { message: 'has no word' });
const FIELDS = ['title', 'headings', 'description', 'content'] as const;

const ScoringSchema = z
  .object({
    fieldWeights: z.record(z.enum(FIELDS), z.number().nonnegative()),
    /** A theme below this score is not assigned, however it ranks. */
    minScore: z.number().positive(),
    /** A theme under this share of the best one is an aside of the page, not its subject. */
    minShareOfBest: z.number().min(0).max(1),
    maxThemes: z.number().int().min(1).max(10),
  })
  .strict();

const ThemeSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'must be a slug of [a-z0-9-]' }),
    label: z.string().trim().min(1).max(80),
    description: z.string().trim().min(1).max(400),
    keywords: z.record(PhraseSchema, z.number().int().min(1).max(5)).superRefine((keywords, ctx) => {
      // Two spellings that fold to the same words ("école", "écoles") would count twice.
      const seen = new Map<string, string>();
      for (const phrase of Object.keys(keywords)) {
        const first = seen.get(foldWords(phrase).join(' '));
        if (first === undefined) seen.set(foldWords(phrase).join(' '), phrase);
        else ctx.addIssue({ code: 'custom', path: [phrase], message: `same words as '${first}'` });
      }
      if (seen.size === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one keyword' });
    }),
  })
  .strict();

const FileSchema = z
  .object({ scoring: ScoringSchema, neutral: z.array(PhraseSchema), themes: z.array(z.unknown()).min(1) })
  .strict();

export type ThemeScoring = z.infer<typeof ScoringSchema>;
export type Theme = Omit<z.infer<typeof ThemeSchema>, 'keywords'> & { keywords: ThemeKeyword[] };
export interface ThemeTaxonomy {
  scoring: ThemeScoring;
  /** Phrases that contain a keyword but say nothing of its theme ("code de la sécurité sociale"). */
  neutral: string[];
  themes: Theme[];
}

export class ThemesFileError extends AppError {
  readonly code = 'invalid_themes_file';
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid themes file:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}

/** Reads and validates a themes file; throws `ThemesFileError` naming the file, theme and field. */
export async function loadThemes(file: string): Promise<ThemeTaxonomy> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'file not found' : String(error);
    throw new ThemesFileError([{ file, message: `cannot read: ${reason}` }]);
  });
  return parseThemes(text, file);
}

/** Validates the text of a themes file. Pure: `file` only names the file in problems. */
export function parseThemes(text: string, file: string): ThemeTaxonomy {
  const document = parseDocument(text, { uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError)
    throw new ThemesFileError([{ file, message: `not valid YAML: ${yamlError.message.split('\n')[0]}` }]);
  const toProblem = (entry: string | undefined, issue: z.core.$ZodIssue): ConfigProblem => ({
    file,
    entry,
    field: issue.path.map(String).join('.') || undefined,
    message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
  });
  const top = FileSchema.safeParse(document.toJS(), { reportInput: true });
  if (!top.success) throw new ThemesFileError(top.error.issues.map((issue) => toProblem(undefined, issue)));

  const problems: ConfigProblem[] = [];
  const themes: Theme[] = [];
  top.data.themes.forEach((raw, index) => {
    const slug = (raw as { slug?: unknown } | null)?.slug;
    const entry = typeof slug === 'string' && slug ? slug : `themes[${index}]`;
    const parsed = ThemeSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => toProblem(entry, issue)));
      return;
    }
    if (themes.some((theme) => theme.slug === entry))
      problems.push({ file, entry, field: 'slug', message: 'duplicate' });
    const keywords = Object.entries(parsed.data.keywords);
    themes.push({
      ...parsed.data,
      keywords: keywords.map(([phrase, weight]) => ({ phrase, words: foldWords(phrase), weight })),
    });
  });
  if (problems.length > 0) throw new ThemesFileError(problems);
  return { scoring: top.data.scoring, neutral: top.data.neutral, themes };
}

/** The slugs of the themes a page is about, best first, at most `scoring.maxThemes`. Pure. */
export function assignThemes(doc: ThemeDocument, taxonomy: ThemeTaxonomy): string[] {
  const { minScore, minShareOfBest, maxThemes } = taxonomy.scoring;
  const scores = scoreThemes(doc, taxonomy);
  const best = scores[0]?.score ?? 0;
  return scores
    .filter(({ score }) => score >= minScore && score >= best * minShareOfBest)
    .slice(0, maxThemes)
    .map(({ slug }) => slug);
}

/** Every theme with a positive score, best first: what `assignThemes` decides on, for tuning. */
export function scoreThemes(doc: ThemeDocument, taxonomy: ThemeTaxonomy): { slug: string; score: number }[] {
  const index = indexPhrases(taxonomy);
  const weights = taxonomy.scoring.fieldWeights;
  const { title, headings = [], description = '', content } = doc;
  const texts = { title: [title], headings, description: [description], content: [content] };
  const scores = new Map(taxonomy.themes.map((theme) => [theme.slug, 0]));
  for (const field of FIELDS) {
    for (const [phrase, count] of countPhrases(texts[field], index)) {
      // A title says what the page is about once; elsewhere the count is sublinear, so that a long
      // page repeating one word does not outweigh a title.
      const repetition = field === 'title' ? 1 : Math.min(1 + Math.log2(count), 3);
      for (const { slug, weight } of index.phrases.get(phrase) ?? []) {
        scores.set(slug, (scores.get(slug) ?? 0) + weights[field] * weight * repetition);
      }
    }
  }
  return [...scores]
    .map(([slug, score]) => ({ slug, score: Math.round(score * 100) / 100 }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score);
}

/**
 * Folded phrase -> the themes it scores for (none for a neutral one); `longestFrom`: for each word that
 * starts a phrase, the most words of a phrase starting with it. Most words of a page start none, so
 * they are passed over with one map lookup: this runs on every indexed document.
 */
type PhraseIndex = {
  phrases: Map<string, { slug: string; weight: number }[]>;
  longestFrom: Map<string, number>;
};

// Built once per taxonomy object (taxonomies are immutable once loaded).
const phraseIndexes = new WeakMap<ThemeTaxonomy, PhraseIndex>();

function indexPhrases(taxonomy: ThemeTaxonomy): PhraseIndex {
  const cached = phraseIndexes.get(taxonomy);
  if (cached) return cached;
  const phrases: PhraseIndex['phrases'] = new Map(taxonomy.neutral.map((p) => [foldWords(p).join(' '), []]));
  for (const theme of taxonomy.themes) {
    for (const { words, weight } of theme.keywords) {
      const key = words.join(' ');
      phrases.set(key, [...(phrases.get(key) ?? []), { slug: theme.slug, weight }]);
    }
  }
  const longestFrom = new Map<string, number>();
  for (const key of phrases.keys()) {
    const words = key.split(' ');
    longestFrom.set(words[0]!, Math.max(longestFrom.get(words[0]!) ?? 0, words.length));
  }
  const index = { phrases, longestFrom };
  phraseIndexes.set(taxonomy, index);
  return index;
}

/**
 * How often each indexed phrase occurs in `texts`. Each word counts once, under the longest phrase
 * starting there (leftmost-longest), so "sécurité sociale" does not also count as "sécurité".
 */
function countPhrases(texts: string[], { phrases, longestFrom }: PhraseIndex): Map<string, number> {
  const counts = new Map<string, number>();
  for (const words of texts.map(foldWords)) {
    for (let start = 0; start < words.length;) {
      const longest = longestFrom.get(words[start]!);
      if (longest === undefined) {
        start++;
        continue;
      }
      // Grows the candidate a word at a time, keeping the longest that is a phrase: no array slices.
      let candidate = words[start]!;
      let phrase = phrases.has(candidate) ? candidate : undefined;
      let length = phrase === undefined ? 0 : 1;
      const end = Math.min(start + longest, words.length);
      for (let next = start + 1; next < end; next++) {
        candidate = `${candidate} ${words[next]}`;
        if (phrases.has(candidate)) {
          phrase = candidate;
          length = next - start + 1;
        }
      }
      if (phrase === undefined) start++;
      else {
        counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
        start += length;
      }
    }
  }
  return counts;
}

/**
 * Lowercased, accent-free words with the regular French plural removed, so that "Écoles" matches
 * "école". Words of four letters or fewer keep their final s, so that "plus" does not become "PLU".
 */
export function foldWords(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
  return (folded.match(/[a-z0-9]+/g) ?? []).map(singularWord);
}

const CHAR_S = 's'.charCodeAt(0);
const CHAR_X = 'x'.charCodeAt(0);

/** The regular plural of a folded word removed. Character tests, not regexes: it runs on every word indexed. */
function singularWord(word: string): string {
  if (word.length <= 4) return word;
  const last = word.charCodeAt(word.length - 1);
  if (last !== CHAR_S && last !== CHAR_X) return word;
  if (hasDigit(word)) return word;
  if (word.endsWith('eaux')) return word.slice(0, -1); // réseaux -> réseau
  if (word.endsWith('aux')) return `${word.slice(0, -3)}al`; // hôpitaux -> hôpital
  return word.charCodeAt(word.length - 2) === CHAR_S ? word : word.slice(0, -1); // keeps "stress", "express"
}

function hasDigit(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}
