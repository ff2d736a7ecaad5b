import { InvalidParametersError } from '../core/errors.ts';
import type { TerritoryRegistry } from '../core/territory-registry.ts';
import type { LikeTowns } from './search-filter.ts';
import type { SearchParams } from './search-params.ts';

/**
 * "Towns like mine": an official names their commune once and gets what communes of the same size
 * bracket did, in its département (or its région). Resolved here, against the official list, so that
 * an unknown commune is a 400 naming `like`, not an empty result.
 */
export function resolveLikeTowns(
  params: Pick<SearchParams, 'like' | 'likeArea'>,
  territories: TerritoryRegistry,
): LikeTowns | undefined {
  if (!params.like) return undefined;
  const commune = territories.resolve(params.like);
  const problem = (message: string) => new InvalidParametersError([{ parameter: 'like', message }]);
  if (!commune) throw problem(`unknown commune '${params.like}' (see /v1/territories)`);
  if (!commune.sizeBracket) throw problem(`the population of '${params.like}' is not known`);
  const area = params.likeArea === 'region' ? commune.region : commune.departement;
  if (!area)
    throw problem(`'${params.like}' has no ${params.likeArea ?? 'departement'} in the official list`);
  return {
    commune: commune.code,
    sizeBracket: commune.sizeBracket,
    area: `${params.likeArea === 'region' ? 'region' : 'departement'}:${area.code}`,
  };
}
