import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type ConfigProblem, SourcesFileError } from './errors.ts';
import { type Source, SourceSchema, SourcesFileSchema } from './source.ts';
import { privateHostProblem, type SourceHostRules } from './source-host.ts';
import type { TerritoryRegistry } from './territory-registry.ts';

/**
 * Reads and validates a sources file; throws `SourcesFileError` listing every problem found. With
 * `territories`, a territory code must also exist in the official list, not just be well-formed.
 * With `hosts` (the processes that fetch), a source given as an IP address or `localhost` is refused
 * unless private networks are allowed.
 */
export async function loadSourcesFile(
  file: string,
  territories?: TerritoryRegistry,
  hosts?: SourceHostRules,
): Promise<Source[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new SourcesFileError([{ file, message: `cannot read: ${reason}` }]);
  }
  return parseSourcesFile(text, file, territories, hosts);
}

/** Validates the text of a sources file. Pure: `file` is only used to name the file in problems. */
export function parseSourcesFile(
  text: string,
  file: string,
  territories?: TerritoryRegistry,
  hosts?: SourceHostRules,
): Source[] {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new SourcesFileError(
      document.errors.map((error) => ({ file, message: `not valid YAML: ${error.message.split('\n')[0]}` })),
    );
  }
  const top = SourcesFileSchema.safeParse(document.toJS());
  if (!top.success) {
    throw new SourcesFileError(
      top.error.issues.map((issue) => ({
        file,
        field: issue.path.join('.') || undefined,
        message:
          issue.path.length === 0 && issue.code === 'invalid_type'
            ? "expected a mapping with a 'sources:' list"
            : issue.message,
      })),
    );
  }

  const problems: ConfigProblem[] = [];
  const sources: Source[] = [];
  top.data.sources.forEach((entry, index) => {
    const rawId = (entry as { id?: unknown } | null)?.id;
    const label = typeof rawId === 'string' && rawId ? rawId : `sources[${index}]`;
    const parsed = SourceSchema.safeParse(entry, { reportInput: true });
    if (parsed.success) sources.push(parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => toProblem(file, label, issue)));
    const privateHost =
      parsed.success && hosts && !hosts.allowPrivateNetworks
        ? privateHostProblem(parsed.data.url)
        : undefined;
    if (privateHost) problems.push({ file, entry: label, field: 'url', message: privateHost });
    // Disabled sources too: an unknown code is a typo that would surface, blank, the day it is enabled.
    const territory = (entry as { territory?: unknown } | null)?.territory;
    const unknown = typeof territory === 'string' ? territories?.unknownCodeProblem(territory) : undefined;
    if (unknown) problems.push({ file, entry: label, field: 'territory', message: unknown });
  });
  problems.push(...findDuplicates(top.data.sources, file));
  if (problems.length > 0) throw new SourcesFileError(problems);
  return sources;
}

function toProblem(file: string, entry: string, issue: z.core.$ZodIssue): ConfigProblem {
  let message = issue.message;
  if (issue.code === 'invalid_type' && issue.input === undefined) message = `is required (${issue.expected})`;
  else if (issue.code === 'invalid_value' || issue.code === 'invalid_type') {
    message += `; got ${JSON.stringify(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return { file, entry, field: [...issue.path, ...issue.keys].join('.'), message: 'unknown field' };
  }
  return { file, entry, field: issue.path.join('.') || undefined, message };
}

/** Checked on the raw entries, so a duplicate is reported even when the entry has other problems. */
function findDuplicates(entries: unknown[], file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const ids = new Set<string>();
  const urls = new Map<string, string>();
  entries.forEach((entry, index) => {
    const { id, url } = (entry ?? {}) as { id?: unknown; url?: unknown };
    const label = typeof id === 'string' && id ? id : `sources[${index}]`;
    if (typeof id === 'string') {
      if (ids.has(id)) problems.push({ file, entry: label, field: 'id', message: 'duplicate id' });
      ids.add(id);
    }
    const canonicalUrl = typeof url === 'string' && URL.canParse(url) ? new URL(url).href : undefined;
    if (canonicalUrl) {
      const firstId = urls.get(canonicalUrl);
      if (firstId !== undefined) {
        problems.push({
          file,
          entry: label,
          field: 'url',
          message: `duplicate url, already used by '${firstId}'`,
        });
      } else urls.set(canonicalUrl, label);
    }
  });
  return problems;
}
