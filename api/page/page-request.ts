import type { z } from 'zod';
import { type SearchParams, SearchParamsSchema } from '../search-params.ts';
import { PAGE_LANGUAGES, type PageLanguage } from './page-text.ts';

/** Facets the page always counts, to show beside each filter. */
export const PAGE_FACETS = ['kind', 'size', 'theme', 'type', 'year', 'scheme'] as const;

/**
 * What the page reads from its URL: the API's own search parameters (so a page URL and an API URL
 * say the same search), plus three of its own, never passed on: `hl` (the page's language), `where`
 * (a territory typed by name, resolved to `territory`) and `commune` (my commune typed by name,
 * resolved to `like`).
 */
export interface PageRequest {
  language: PageLanguage;
  /** The API parameters as given (lists joined by commas), for links and the form's values. */
  given: Record<string, string>;
  where: string | undefined;
  commune: string | undefined;
  /** Validated, or the problems found (each naming its parameter). */
  search:
    { ok: true; params: SearchParams } | { ok: false; problems: { parameter: string; message: string }[] };
}

/** The page's own parameters, and the API's that the page sets itself. */
const PAGE_ONLY = new Set(['hl', 'where', 'commune']);
const IGNORED = new Set(['key', 'facets']);

export function readPageRequest(url: URL): PageRequest {
  const given: Record<string, string> = {};
  let language: PageLanguage = 'fr';
  let where: string | undefined;
  let commune: string | undefined;
  for (const [name, rawValue] of url.searchParams) {
    const value = rawValue.trim();
    // A form sends its empty fields: an empty value means "not set".
    if (value === '' || IGNORED.has(name)) continue;
    if (name === 'hl')
      language = (PAGE_LANGUAGES as readonly string[]).includes(value) ? (value as PageLanguage) : 'fr';
    else if (name === 'where') where = value;
    else if (name === 'commune') commune = value;
    // A form's checkboxes repeat a name (theme=a&theme=b); the API joins a list with commas.
    else if (!PAGE_ONLY.has(name)) given[name] = given[name] ? `${given[name]},${value}` : value;
  }
  const parsed = SearchParamsSchema.safeParse({ ...given, facets: PAGE_FACETS.join(',') });
  return {
    language,
    given,
    where,
    commune,
    search: parsed.success
      ? { ok: true, params: parsed.data }
      : { ok: false, problems: problemsOf(parsed.error) },
  };
}

function problemsOf(error: z.ZodError): { parameter: string; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ parameter: key, message: 'unknown parameter' }))
      : [{ parameter: String(issue.path[0] ?? '(request)'), message: issue.message }],
  );
}

/**
 * The page's URL for `given` with some parameters changed (undefined removes one). A new search,
 * filter or sort goes back to the first page, unless the change is the page itself.
 */
export function pageUrl(
  given: Readonly<Record<string, string>>,
  language: PageLanguage,
  changes: Record<string, string | undefined> = {},
): string {
  const next: Record<string, string | undefined> = { ...given, ...changes };
  if (!('page' in changes)) delete next.page;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(next))
    if (value !== undefined && value !== '') query.set(name, value);
  if (language !== 'fr') query.set('hl', language);
  const text = query.toString();
  return text ? `/?${text}` : '/';
}

/** The same search as an Atom feed: the API's URL for it. */
export function feedUrl(given: Readonly<Record<string, string>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(given)) {
    if (name !== 'page' && name !== 'hitsPerPage' && name !== 'sort') query.set(name, value);
  }
  const text = query.toString();
  return `/v1/search.atom${text ? `?${text}` : ''}`;
}

/** The value of a list parameter as a set, for checkboxes. */
export function listOf(given: Readonly<Record<string, string>>, name: string): Set<string> {
  return new Set(
    (given[name] ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean),
  );
}

/** The list parameter with `value` added or removed. */
export function toggled(
  given: Readonly<Record<string, string>>,
  name: string,
  value: string,
): string | undefined {
  const values = listOf(given, name);
  if (values.has(value)) values.delete(value);
  else values.add(value);
  return values.size > 0 ? [...values].join(',') : undefined;
}
