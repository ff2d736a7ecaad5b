/**
 * Population size brackets of communes and EPCIs, so a search can be narrowed to "small communes" or
 * "large intercommunalities". Départements, régions and the national level have no bracket: their
 * sizes are not comparable with a commune's and nobody filters on them that way.
 */
export const SIZE_BRACKETS = ['moins-de-2000', '2000-10000', '10000-50000', 'plus-de-50000'] as const;
export type SizeBracket = (typeof SIZE_BRACKETS)[number];

// French typography: a narrow no-break space groups thousands (what `Intl.NumberFormat('fr-FR')` writes).
export const SIZE_BRACKET_LABELS: Record<SizeBracket, string> = {
  'moins-de-2000': 'Moins de 2\u202f000 habitants',
  '2000-10000': 'De 2\u202f000 à 10\u202f000 habitants',
  '10000-50000': 'De 10\u202f000 à 50\u202f000 habitants',
  'plus-de-50000': 'Plus de 50\u202f000 habitants',
};

/** Lower bounds are inclusive: a commune of exactly 2 000 inhabitants is in `2000-10000`. */
export function sizeBracketOf(population: number): SizeBracket {
  if (population < 2_000) return 'moins-de-2000';
  if (population < 10_000) return '2000-10000';
  if (population < 50_000) return '10000-50000';
  return 'plus-de-50000';
}
