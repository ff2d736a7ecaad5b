import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { type Dataset, DatasetSchema } from '../../core/dataset.ts';
import type { RawPage } from '../../core/raw-page.ts';
import { documentIdForUrl } from '../../core/search-document.ts';
import { type Source, SourceSchema } from '../../core/source.ts';
import type { TerritoryRegistry } from '../../core/territory-registry.ts';
import { csvRecords } from '../../crawler/dataset/csv-records.ts';
import { rowUrlOf } from '../../crawler/dataset/dataset-crawl.ts';
import { projectRow } from '../../crawler/dataset/project-row.ts';

/** The DGCL files shared beside the project (read its README): tests, benchmarks and the eval only. */
export const DGCL_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'dgcl');
export const DGCL_YEARS = [2018, 2019, 2023, 2024] as const;

/** How the DGCL's columns map to a project, as sources.yaml declares it. */
export const DGCL_DATASET_FIELDS = {
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

export const DGCL_SOURCE: Source = SourceSchema.parse({
  id: 'dgcl',
  name: 'Projets financés par les dotations de l’État (DGCL)',
  kind: 'etat',
  url: 'https://dgcl.example.gouv.fr/',
  territory: 'national',
  dataset: {
    ...DGCL_DATASET_FIELDS,
    files: DGCL_YEARS.map((year) => ({ url: `https://dgcl.example.gouv.fr/projets-${year}.csv` })),
  },
});

export interface DgclCorpus {
  pages: RawPage[];
  /** `YYYY:N` (the N-th record of a year's file, as the judged queries name rows) → document id. */
  idOfRow: Map<string, string>;
  /** Records that are no document (no title). */
  skipped: number;
}

/**
 * Every row of the four DGCL files as the crawl makes documents of them: the same CSV reading, the
 * same mapping (crawler/dataset), the same row URLs, so a judged `YYYY:N` names the document a crawl
 * would index for that row.
 */
export async function buildDgclCorpus(
  territories: TerritoryRegistry,
  fetchedAt: string,
): Promise<DgclCorpus> {
  const dataset = DatasetSchema.parse(DGCL_SOURCE.dataset) satisfies Dataset;
  const corpus: DgclCorpus = { pages: [], idOfRow: new Map(), skipped: 0 };
  for (const [index, year] of DGCL_YEARS.entries()) {
    const file = dataset.files[index]!;
    const keys = new Map<string, number>();
    const stream = createReadStream(path.join(DGCL_DIR, `dgcl-projets-${year}.csv.gz`)).pipe(createGunzip());
    for await (const record of csvRecords(stream, dataset.csv)) {
      const row = projectRow(record.values, dataset, file, territories);
      if (!row) {
        corpus.skipped++;
        continue;
      }
      const occurrence = (keys.get(row.key) ?? 0) + 1;
      keys.set(row.key, occurrence);
      const url = rowUrlOf(file.url, row.key, occurrence);
      corpus.pages.push({ ...row.page, url, sourceId: DGCL_SOURCE.id, fetchedAt });
      corpus.idOfRow.set(`${year}:${record.number}`, documentIdForUrl(url));
    }
  }
  return corpus;
}
