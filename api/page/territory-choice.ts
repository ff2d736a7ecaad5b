import { foldForSearch } from '../../core/territory-search.ts';
import type { Territory } from '../../core/territory.ts';
import type { TerritoryRegistry } from '../../core/territory-registry.ts';

/** A territory typed by name in the page's form, without JavaScript: the one meant, or the choices. */
export type TerritoryChoice = { chosen: Territory } | { candidates: Territory[] };

/**
 * The territory an official typed ("Hérault", "Sète agglopôle", "34"). One match, or one of that
 * exact name, is the territory meant; several (Paris the commune and the département, two Saint-Pons)
 * are offered as links, never guessed between.
 */
export function chooseTerritory(
  territories: TerritoryRegistry,
  typed: string,
  options: { communesOnly?: boolean } = {},
): TerritoryChoice {
  const found = territories
    .search(typed, options.communesOnly ? 40 : 8)
    .filter((territory) => !options.communesOnly || territory.level === 'commune')
    .slice(0, 8);
  const folded = foldForSearch(typed);
  const exact = found.filter((territory) => foldForSearch(territory.name) === folded);
  if (found.length === 1) return { chosen: found[0]! };
  if (exact.length === 1) return { chosen: exact[0]! };
  return { candidates: exact.length > 1 ? exact : found };
}
