import type { TerritoryRegistry } from '../../core/territory-registry.ts';

/** How a row's territory was found: its own code, only a wider territory, or not at all. */
export type RowTerritory =
  | { kind: 'exact'; code: string }
  /** Only a wider territory is known: the département, or the région of a coarse code. */
  | { kind: 'wider'; code: string }
  | { kind: 'unknown' };

/**
 * Codes that stand for several départements in some lists: the DGCL writes `67A` for all of Alsace
 * (67 and 68, in région 44) and `20A`/`20B` for Corsica (région 94).
 */
const COARSE_AREAS: Readonly<Record<string, string>> = {
  '67A': 'region:44',
  '20A': 'region:94',
  '20B': 'region:94',
};

/**
 * The territory of a dataset row from its commune (INSEE), EPCI (SIREN) and département columns: the
 * first that the official list knows. A commune merged or renamed since the data was published is
 * not in today's list: the row then keeps its département (from the INSEE code, or the département
 * column), or its région for a code that covers several départements, so that a département or
 * région filter still finds it. Overseas collectivities outside the official list (Polynésie…) have
 * none: the row is national, and counted.
 */
export function rowTerritory(
  codes: { commune?: string | undefined; epci?: string | undefined; departement?: string | undefined },
  territories: TerritoryRegistry,
): RowTerritory {
  const commune = normalizeCommune(codes.commune);
  if (commune && territories.resolve(`commune:${commune}`))
    return { kind: 'exact', code: `commune:${commune}` };
  const epci = codes.epci?.replace(/\s/g, '');
  if (epci && /^\d{9}$/.test(epci) && territories.resolve(`epci:${epci}`)) {
    return { kind: 'exact', code: `epci:${epci}` };
  }
  for (const departement of [departementOfCommune(commune), normalizeDepartement(codes.departement)]) {
    if (departement && territories.resolve(`departement:${departement}`)) {
      return { kind: 'wider', code: `departement:${departement}` };
    }
  }
  const area = COARSE_AREAS[codes.departement?.trim().toUpperCase() ?? ''];
  if (area && territories.resolve(area)) return { kind: 'wider', code: area };
  return { kind: 'unknown' };
}

/** INSEE commune codes lose their leading zero in spreadsheets: `1002` is 01002. */
function normalizeCommune(raw: string | undefined): string | undefined {
  const code = raw?.trim().toUpperCase();
  if (!code) return undefined;
  if (/^\d{4}$/.test(code)) return `0${code}`;
  return /^(\d{5}|2[AB]\d{3})$/.test(code) ? code : undefined;
}

/** 34xxx → 34, 2Axxx → 2A, 971xx → 971. */
function departementOfCommune(commune: string | undefined): string | undefined {
  if (!commune) return undefined;
  return commune.startsWith('97') ? commune.slice(0, 3) : commune.slice(0, 2);
}

/**
 * Département codes as datasets write them: `034`, `02A`, `971`, `34`. Coarse codes that stand for
 * several (`67A` for all of Alsace, `20A` for all of Corsica) resolve to none.
 */
function normalizeDepartement(raw: string | undefined): string | undefined {
  const code = raw?.trim().toUpperCase();
  if (!code) return undefined;
  if (/^0\d[\dAB]$/.test(code)) return code.slice(1);
  if (/^\d[\dAB]$|^97\d$/.test(code)) return code;
  if (/^\d$/.test(code)) return `0${code}`;
  return undefined;
}
