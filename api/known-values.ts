import { InvalidParametersError } from '../core/errors.ts';
import type { AppDependencies } from './app-dependencies.ts';
import type { SearchParams } from './search-params.ts';

/**
 * Checks what a schema cannot: that a source, theme or territory named in a request exists. A typo
 * then gets a 400 that says so, instead of an empty result the user would read as "nothing there".
 */
export function assertKnownValues(
  params: Pick<SearchParams, 'source' | 'theme' | 'territory'>,
  deps: Pick<AppDependencies, 'sources' | 'resources'>,
): void {
  const problems: { parameter: string; message: string }[] = [];
  const sourceIds = new Set(deps.sources.filter((source) => source.enabled).map((source) => source.id));
  for (const id of params.source ?? []) {
    if (!sourceIds.has(id))
      problems.push({ parameter: 'source', message: `unknown source '${id}' (see /v1/sources)` });
  }
  const themes = new Set(deps.resources.taxonomy.themes.map((theme) => theme.slug));
  for (const slug of params.theme ?? []) {
    if (!themes.has(slug))
      problems.push({ parameter: 'theme', message: `unknown theme '${slug}' (see /v1/themes)` });
  }
  if (params.territory && !deps.resources.territories.resolve(params.territory)) {
    problems.push({
      parameter: 'territory',
      message: `unknown territory '${params.territory}' (see /v1/territories)`,
    });
  }
  if (problems.length > 0) throw new InvalidParametersError(problems);
}
