import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The DGCL files shared with the project (../shared/data/dgcl): tests and benchmarks may read them. */
export const DGCL_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dgcl');
export const DGCL_YEARS = [2018, 2019, 2023, 2024] as const;

/** One year's file, decompressed, as the DGCL publishes it: UTF-8 with a BOM, `;`, decimal commas. */
export function dgclFile(year: (typeof DGCL_YEARS)[number]): Buffer {
  return gunzipSync(readFileSync(path.join(DGCL_DIR, `dgcl-projets-${year}.csv.gz`)));
}

/** The header line and the first `count` data lines of a year's file (lines, not records: test files avoid multi-line titles). */
export function dgclLines(
  year: (typeof DGCL_YEARS)[number],
  count: number,
): { header: string; rows: string[] } {
  const lines = dgclFile(year)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/);
  const header = lines[0]!;
  const rows = lines
    .slice(1)
    .filter((line) => line && !line.includes('"'))
    .slice(0, count);
  return { header, rows };
}

/** The DGCL's columns, as a dataset source maps them. */
export const DGCL_DATASET = {
  rows: 'projets',
  publisher: 'Direction générale des collectivités locales (DGCL)',
  licence: 'Licence Ouverte / Etalab 2.0',
  key: [
    'exercice',
    'dispositif',
    'beneficiaire_siren',
    'beneficiaire_code_insee',
    'beneficiaire_nom',
    'intitule',
  ],
  columns: {
    title: 'intitule',
    year: 'exercice',
    scheme: 'dispositif',
    beneficiary: 'beneficiaire_nom',
    beneficiaryType: 'beneficiaire_type',
    commune: 'beneficiaire_code_insee',
    epci: 'beneficiaire_siren',
    departement: 'beneficiaire_dep',
    cost: 'cout_ht',
    grant: 'subvention',
  },
} as const;
