import type { Territory } from '../../core/territory.ts';
import type { SearchResult } from '../search-documents.ts';
import type { SearchParams } from '../search-params.ts';
import type { PageLanguage, PageText } from './page-text.ts';

/** Everything the search page shows, gathered by the route before anything is rendered. */
export interface PageModel {
  language: PageLanguage;
  text: PageText;
  /** The API parameters of the URL, for links and the form's values. */
  given: Readonly<Record<string, string>>;
  params: SearchParams;
  /** Absent on the first visit (nothing asked yet). */
  result?: SearchResult;
  /** The territory filter, resolved for its name. */
  territory?: Territory;
  /** "Towns like mine", resolved: my commune, and where towns like it are looked for. */
  like?: { commune: Territory; areaLevel: 'departement' | 'region'; areaName: string };
  /** A territory or commune typed by name that matched several (or none): the choices. */
  whereChoices?: { typed: string; candidates: Territory[] };
  communeChoices?: { typed: string; candidates: Territory[] };
  /** When nothing was found: a nearer spelling, and how many results without the filters. */
  noResult?: { suggestion: string | null; withoutFilters: number };
  themes: readonly { slug: string; label: string }[];
  /** URLs of the bundled style sheet and script; absent, the page is served without them. */
  assets?: { css: string; js: string };
}

/** Filters shown as removable, in the order of the form. */
export const REMOVABLE_FILTERS = [
  'territory',
  'like',
  'size',
  'theme',
  'kind',
  'type',
  'from',
  'to',
  'scheme',
  'year',
  'cost',
  'grant',
  'population',
  'source',
  'lang',
] as const;

export function hasFilters(given: Readonly<Record<string, string>>): boolean {
  return REMOVABLE_FILTERS.some((name) => given[name] !== undefined);
}
