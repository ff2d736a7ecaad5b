import type { PartnerScope } from '../core/partner.ts';
import type { SearchDocument } from '../core/search-document.ts';
import { FACET_ATTRIBUTES, quoteFilterValue } from './search-filter.ts';

/**
 * A partner's scope as Meilisearch filter clauses, to be ANDed with the request's own: whatever a
 * request asks (another territory, no filter at all), its results stay inside the scope. Values
 * come from partners.yaml, validated at start-up, and are quoted anyway.
 */
export function scopeFilter(scope: PartnerScope | undefined): string[][] {
  if (!scope) return [];
  const clauses: string[][] = [];
  const anyOf = (attribute: string, values: readonly string[] | undefined) => {
    if (values && values.length > 0) {
      clauses.push(values.map((value) => `${attribute} = ${quoteFilterValue(value)}`));
    }
  };
  anyOf(FACET_ATTRIBUTES.source, scope.sources);
  anyOf(FACET_ATTRIBUTES.kind, scope.kinds);
  anyOf(FACET_ATTRIBUTES.theme, scope.themes);
  anyOf(FACET_ATTRIBUTES.territory, scope.territories);
  return clauses;
}

/** Whether one document is inside a scope, for requests of one document by id. */
export function isInScope(
  document: Pick<SearchDocument, 'source' | 'themes' | 'territory'>,
  scope: PartnerScope | undefined,
): boolean {
  if (!scope) return true;
  const meets = (values: readonly string[] | undefined, has: (value: string) => boolean) =>
    !values || values.some(has);
  return (
    meets(scope.sources, (id) => document.source.id === id) &&
    meets(scope.kinds, (kind) => document.source.kind === kind) &&
    meets(scope.themes, (slug) => document.themes.includes(slug)) &&
    meets(scope.territories, (code) => document.territory.codes.includes(code))
  );
}
