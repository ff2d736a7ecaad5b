import type { Facet, SearchParams } from './search-params.ts';

/** The Meilisearch attribute behind each public filter name. */
export const FACET_ATTRIBUTES: Record<Facet, string> = {
  source: 'source.id',
  kind: 'source.kind',
  territory: 'territory.codes',
  size: 'territory.sizeBracket',
  theme: 'themes',
  type: 'type',
  lang: 'lang',
};

/**
 * Meilisearch filter expressions built from validated values only. Values are quoted and escaped
 * anyway, so even a value that slipped through validation could not change the expression's shape.
 * Returned in Meilisearch's array form: the outer array is AND, an inner array is OR.
 */
export function buildFilter(params: SearchParams): (string | string[])[] {
  const filter: (string | string[])[] = [];
  const anyOf = (attribute: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) filter.push(values.map((value) => `${attribute} = ${quote(value)}`));
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
  return filter;
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
  ] as const) {
    const value = params[name];
    if (value !== undefined) applied[name] = value;
  }
  return applied;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}
