import type { Dataset, DatasetFile, ProjectFields } from '../../core/dataset.ts';
import type { RawPage } from '../../core/raw-page.ts';
import { contentHash } from '../../core/search-document.ts';
import type { TerritoryRegistry } from '../../core/territory-registry.ts';
import { type RowTerritory, rowTerritory } from './row-territory.ts';

/** A dataset row as a document, before the crawl gives it a date of fetch. */
export interface ProjectRow {
  /** The row's natural key (dataset.key's values), the same from one version of the file to the next. */
  key: string;
  page: Omit<RawPage, 'url' | 'sourceId' | 'fetchedAt'>;
  territory: RowTerritory;
}

/**
 * Pure: a row of a projects dataset as a document: its title as published, its beneficiary's
 * territory, year, scheme and amounts. Null when the row has no title (nothing to show or search).
 */
export function projectRow(
  values: Readonly<Record<string, string>>,
  dataset: Dataset,
  file: DatasetFile,
  territories: TerritoryRegistry,
): ProjectRow | null {
  const { columns } = dataset;
  const read = (column: string | undefined) => (column ? (values[column] ?? '').trim() : '');
  const title = read(columns.title).replace(/\s+/g, ' ');
  if (!title) return null;
  const territory = rowTerritory(
    { commune: read(columns.commune), epci: read(columns.epci), departement: read(columns.departement) },
    territories,
  );
  const project: ProjectFields = {
    year: parseYear(read(columns.year)) ?? file.year ?? null,
    scheme: read(columns.scheme) || null,
    beneficiary: read(columns.beneficiary).replace(/\s+/g, ' ') || null,
    beneficiaryType: read(columns.beneficiaryType) || null,
    cost: parseAmount(read(columns.cost)),
    grant: parseAmount(read(columns.grant)),
    dataset: {
      url: file.url,
      publisher: dataset.publisher,
      page: dataset.page ?? null,
      licence: dataset.licence ?? null,
    },
  };
  const territoryCode = territory.kind === 'unknown' ? null : territory.code;
  const description = describe(project);
  return {
    key: dataset.key.map((column) => read(column)).join('\u001f'),
    territory,
    page: {
      status: 200,
      title,
      description,
      text: [title, project.beneficiary].filter(Boolean).join('\n'),
      headings: [],
      lang: 'fr',
      publishedAt: project.year ? `${project.year}-01-01` : null,
      updatedAt: null,
      pageType: 'projet',
      contentHash: contentHash(JSON.stringify([title, description, territoryCode, project])),
      territory: territoryCode,
      project,
    },
  };
}

/** One line an official reads first: who, which scheme and year, what it cost, what the State paid. */
function describe(project: ProjectFields): string {
  const euros = (amount: number) => `${Math.round(amount).toLocaleString('fr-FR')} €`;
  return [
    project.beneficiary,
    [project.scheme, project.year].filter(Boolean).join(' '),
    project.cost !== null ? `coût ${euros(project.cost)} HT` : null,
    project.grant !== null ? `subvention ${euros(project.grant)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** `2023`, or a date that starts with a year. */
function parseYear(raw: string): number | null {
  const match = /^(\d{4})\b/.exec(raw);
  const year = match ? Number(match[1]) : NaN;
  return year >= 1900 && year <= 2100 ? year : null;
}

/**
 * Euros as French files write them: `310000,0`, `1 234,50 €`, `1.234,5`; or `310000.0`. A comma is
 * the decimal separator when present; dots and spaces before it group thousands.
 */
export function parseAmount(raw: string): number | null {
  let text = raw.replace(/[\s\u00a0\u202f€]/g, '');
  if (!text) return null;
  if (text.includes(',')) text = text.replace(/\./g, '').replace(',', '.');
  const amount = Number(text);
  return Number.isFinite(amount) ? amount : null;
}
