import type { Territory, TerritoryLevel } from './territory.ts';

/** How a search result matched, best first. */
const MATCH = {
  exactCode: 0,
  // Région codes (76) collide with département numbers, and people mean the département ("le 76").
  exactRegionCode: 1,
  exactName: 2,
  namePrefix: 3,
  codePrefix: 4,
  wordPrefixes: 5,
  nameContains: 6,
} as const;
const MATCH_KINDS = Object.keys(MATCH).length;

/** Among equally populated territories (Paris the commune and the département), the wider first. */
const BREADTH: Record<TerritoryLevel, number> = {
  national: 0,
  region: 1,
  departement: 2,
  epci: 3,
  commune: 4,
};

interface SearchEntry {
  territory: Territory;
  /** Folded name with a leading space, so that `includes(' ' + word)` tests a word prefix. */
  name: string;
  /** The official code, lower-case (2a004). */
  code: string;
}

/** The official territories searchable by name or code (GET /v1/territories). */
export class TerritorySearch {
  /** Sorted by population, largest first: a search keeps the first matches of each kind. */
  readonly #entries: SearchEntry[];
  readonly #resolve: (code: string) => Territory | undefined;

  /** `resolve` answers a query that is a full `sources.yaml` code (commune:31113) directly. */
  constructor(territories: readonly Territory[], resolve: (code: string) => Territory | undefined) {
    this.#resolve = resolve;
    this.#entries = territories
      .filter((territory) => territory.level !== 'national')
      .sort((a, b) => (b.population ?? -1) - (a.population ?? -1) || BREADTH[a.level] - BREADTH[b.level])
      .map((territory) => ({
        territory,
        name: ` ${foldForSearch(territory.name)}`,
        code: territory.code.slice(territory.code.indexOf(':') + 1).toLowerCase(),
      }));
  }

  /**
   * Communes, EPCIs, départements and régions by name or code, accent- and case-insensitive, every
   * query word a word prefix ("sete agglo"). Ranked by how they match (`MATCH`), then by population.
   */
  search(query: string, limit = 10): Territory[] {
    const direct = this.#resolve(query.trim());
    if (direct) return limit > 0 ? [direct] : [];
    const folded = foldForSearch(query);
    if (!folded || limit <= 0) return [];
    const words = folded.split(' ');
    const prepared: PreparedQuery = {
      folded,
      whole: ` ${folded}`,
      wordStarts: words.map((word) => ` ${word}`),
      // Every name match contains every word: testing the longest first skips most of the 35k names.
      longestWord: words.reduce((a, b) => (b.length > a.length ? b : a)),
    };
    const matches: Territory[][] = Array.from({ length: MATCH_KINDS }, () => []);
    for (const entry of this.#entries) {
      const kind = matchKind(entry, prepared);
      const bucket = kind === undefined ? undefined : matches[kind];
      if (bucket && bucket.length < limit) bucket.push(entry.territory);
    }
    return matches.flat().slice(0, limit);
  }
}

interface PreparedQuery {
  folded: string;
  whole: string;
  wordStarts: string[];
  longestWord: string;
}

function matchKind({ territory, name, code }: SearchEntry, query: PreparedQuery): number | undefined {
  if (code === query.folded) return territory.level === 'region' ? MATCH.exactRegionCode : MATCH.exactCode;
  const mayMatchName = name.includes(query.longestWord);
  if (mayMatchName && name === query.whole) return MATCH.exactName;
  if (mayMatchName && name.startsWith(query.whole)) return MATCH.namePrefix;
  if (code.startsWith(query.folded)) return MATCH.codePrefix;
  if (!mayMatchName) return undefined;
  if (query.wordStarts.every((start) => name.includes(start))) return MATCH.wordPrefixes;
  return name.includes(query.folded) ? MATCH.nameContains : undefined;
}

/** Lower case, no accents, words of [a-z0-9] separated by one space: "L'Haÿ-les-Roses" → "l hay les roses". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
