import type { SizeBracket } from '../core/territory-size.ts';
import type { Facet, SearchParams } from './search-params.ts';

/**
 * "Towns like mine" resolved against the official list: the size bracket of the commune named by
 * `like`, the wider territory to look in, and the commune itself, left out.
 */
export interface LikeTowns {
  commune: string;
  sizeBracket: SizeBracket;
  area: string;
}

/** The Meilisearch attribute behind each public filter name. */
export const FACET_ATTRIBUTES: Record<Facet, string> = {
  source: 'source.id',
  kind: 'source.kind',
  territory: 'territory.codes',
  size: 'territory.sizeBracket',
  theme: 'themes',
  type: 'type',
  lang: 'lang',
  year: 'project.year',
  scheme: 'project.scheme',
};

/**
 * Meilisearch filter expressions built from validated values only. Values are quoted and escaped
 * anyway, so even a value that slipped through validation could not change the expression's shape.
 * Returned in Meilisearch's array form: the outer array is AND, an inner array is OR.
 */
export function buildFilter(params: SearchParams, like?: LikeTowns): (string | string[])[] {
  const filter: (string | string[])[] = [];
  const anyOf = (attribute: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0)
      filter.push(values.map((value) => `${attribute} = ${quoteFilterValue(value)}`));
  };
  anyOf(FACET_ATTRIBUTES.source, params.source);
  anyOf(FACET_ATTRIBUTES.kind, params.kind);
  if (params.territory) anyOf(FACET_ATTRIBUTES.territory, [params.territory]);
  anyOf(FACET_ATTRIBUTES.size, params.size);
  anyOf(FACET_ATTRIBUTES.theme, params.theme);
  anyOf(FACET_ATTRIBUTES.type, params.type);
  anyOf(FACET_ATTRIBUTES.lang, params.lang);
  if (params.from) filter.push(`dateTs >= ${dayStart(params.from)}`);
  if (params.to) filter.push(`dateTs < ${dayStart(params.to) + 86_400}`);
  if (params.year) filter.push(params.year.map((year) => `${FACET_ATTRIBUTES.year} = ${Number(year)}`));
  anyOf(FACET_ATTRIBUTES.scheme, params.scheme);
  between('project.cost', params.cost);
  between('project.grant', params.grant);
  between('territory.population', params.population);
  if (like) {
    filter.push('territory.level = "commune"');
    filter.push(`${FACET_ATTRIBUTES.size} = ${quoteFilterValue(like.sizeBracket)}`);
    filter.push(`${FACET_ATTRIBUTES.territory} = ${quoteFilterValue(like.area)}`);
    filter.push(`NOT ${FACET_ATTRIBUTES.territory} = ${quoteFilterValue(like.commune)}`);
  }
  return filter;

  function between(attribute: string, bounds: { min: number | null; max: number | null } | undefined) {
    if (bounds?.min != null) filter.push(`${attribute} >= ${bounds.min}`);
    if (bounds?.max != null) filter.push(`${attribute} <= ${bounds.max}`);
  }
}

/** The filters a request applied, echoed back so a client can show them (and remove them). */
export function appliedFilters(params: SearchParams): Record<string, string | string[]> {
  const applied: Record<string, string | string[]> = {};
  for (const name of [
    'source',
    'kind',
    'territory',
    'size',
    'theme',
    'type',
    'lang',
    'from',
    'to',
    'year',
    'scheme',
    'like',
    'likeArea',
  ] as const) {
    const value = params[name];
    if (value !== undefined) applied[name] = value;
  }
  for (const name of ['cost', 'grant', 'population'] as const) {
    const bounds = params[name];
    if (bounds) applied[name] = `${bounds.min ?? ''}-${bounds.max ?? ''}`;
  }
  return applied;
}

/** A value as a Meilisearch filter string, quoted and escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
