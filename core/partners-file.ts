import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type ConfigProblem, PartnersFileError } from './errors.ts';
import { type Partner, PartnerSchema, PartnersFileSchema } from './partner.ts';
import type { TerritoryRegistry } from './territory-registry.ts';

/** What a partner's scope may name: values the API would refuse in a request are refused here too. */
export interface PartnerScopeVocabulary {
  territories: TerritoryRegistry;
  sourceIds: ReadonlySet<string>;
  themeSlugs: ReadonlySet<string>;
}

/** Reads and validates `partners.yaml`; throws `PartnersFileError` listing every problem found. */
export async function loadPartnersFile(file: string, vocabulary: PartnerScopeVocabulary): Promise<Partner[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new PartnersFileError([{ file, message: `cannot read: ${reason}` }]);
  }
  return parsePartnersFile(text, file, vocabulary);
}

/** Validates the text of a partners file. Pure: `file` only names the file in problems. */
export function parsePartnersFile(text: string, file: string, vocabulary: PartnerScopeVocabulary): Partner[] {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new PartnersFileError(
      document.errors.map((error) => ({ file, message: `not valid YAML: ${error.message.split('\n')[0]}` })),
    );
  }
  const top = PartnersFileSchema.safeParse(document.toJS());
  if (!top.success) {
    throw new PartnersFileError([{ file, message: "expected a mapping with a 'partners:' list" }]);
  }
  const problems: ConfigProblem[] = [];
  const partners: Partner[] = [];
  top.data.partners.forEach((entry, index) => {
    const rawId = (entry as { id?: unknown } | null)?.id;
    const label = typeof rawId === 'string' && rawId ? rawId : `partners[${index}]`;
    const parsed = PartnerSchema.safeParse(entry, { reportInput: true });
    if (!parsed.success) {
      problems.push(...parsed.error.issues.map((issue) => toProblem(file, label, issue)));
      return;
    }
    problems.push(...unknownScopeValues(parsed.data, file, vocabulary));
    partners.push(parsed.data);
  });
  problems.push(...duplicates(partners, file));
  if (problems.length > 0) throw new PartnersFileError(problems);
  return partners;
}

function unknownScopeValues(
  partner: Partner,
  file: string,
  { territories, sourceIds, themeSlugs }: PartnerScopeVocabulary,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (field: string, message: string) =>
    problems.push({ file, entry: partner.id, field, message });
  partner.scope.territories?.forEach((code, index) => {
    const unknown = territories.unknownCodeProblem(code);
    if (unknown) problem(`scope.territories.${index}`, unknown);
  });
  partner.scope.sources?.forEach((id, index) => {
    if (!sourceIds.has(id))
      problem(`scope.sources.${index}`, `no enabled source '${id}' in the sources file`);
  });
  partner.scope.themes?.forEach((slug, index) => {
    if (!themeSlugs.has(slug)) problem(`scope.themes.${index}`, `no theme '${slug}' (indexer/themes.yaml)`);
  });
  return problems;
}

/** Two partners with one key would share a scope and an allowance: the second is a mistake. */
function duplicates(partners: readonly Partner[], file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set<string>();
  const keys = new Map<string, string>();
  for (const partner of partners) {
    if (ids.has(partner.id)) problems.push({ file, entry: partner.id, field: 'id', message: 'duplicate id' });
    ids.add(partner.id);
    const holder = keys.get(partner.key);
    if (holder !== undefined) {
      problems.push({
        file,
        entry: partner.id,
        field: 'key',
        message: `duplicate key, already '${holder}''s`,
      });
    } else keys.set(partner.key, partner.id);
  }
  return problems;
}

function toProblem(file: string, entry: string, issue: z.core.$ZodIssue): ConfigProblem {
  if (issue.code === 'unrecognized_keys') {
    return { file, entry, field: [...issue.path, ...issue.keys].join('.'), message: 'unknown field' };
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) message = `is required (${issue.expected})`;
  else if (issue.code === 'invalid_value' || issue.code === 'invalid_type') {
    message += `; got ${JSON.stringify(issue.input)}`;
  }
  return { file, entry, field: issue.path.join('.') || undefined, message };
}
