import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTerritoryRegistry, type TerritoryRegistry } from '../core/territory-registry.ts';
import { csvRecords } from '../crawler/dataset/csv-records.ts';
import { parseAmount } from '../crawler/dataset/project-row.ts';
import { rowTerritory } from '../crawler/dataset/row-territory.ts';
import { dgclLines } from './support/dgcl-rows.ts';

/** Bytes in `size`-byte chunks, as a download delivers them: a character may be cut in two. */
const chunked = (bytes: Buffer, size = 7) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, n) =>
      bytes.subarray(n * size, (n + 1) * size),
    ),
  );

/** Text as a Windows-1252 file holds it (typographic quotes and the euro sign included). */
function windows1252(text: string): Buffer {
  const beyondLatin1: Record<string, number> = {
    '€': 0x80,
    '‘': 0x91,
    '’': 0x92,
    '“': 0x93,
    '”': 0x94,
    '–': 0x96,
    '—': 0x97,
    œ: 0x9c,
  };
  return Buffer.from([...text].map((char) => beyondLatin1[char] ?? char.charCodeAt(0)));
}

async function recordsOf(bytes: Buffer): Promise<Record<string, string>[]> {
  const records: Record<string, string>[] = [];
  for await (const record of csvRecords(chunked(bytes))) records.push(record.values);
  return records;
}

describe('reading a published CSV file', () => {
  const { header, rows } = dgclLines(2023, 30);
  const accented = rows.filter((row) => /[éèêàç]/.test(row)).slice(0, 5);

  it('reads real rows in UTF-8 with a BOM and `;`, characters cut between chunks included', async () => {
    const records = await recordsOf(Buffer.from(`\uFEFF${[header, ...accented].join('\r\n')}`, 'utf8'));
    expect(records).toHaveLength(accented.length);
    expect(Object.keys(records[0]!)[0]).toBe('exercice');
    expect(records.map((record) => record.intitule)).toEqual(
      accented.map((row) => row.split(';')[8]!.trim()),
    );
  });

  it('reads the same rows in Windows-1252 with `,` and quoted fields, without being told', async () => {
    const asCommas = [header, ...accented].map((line) =>
      line
        .split(';')
        .map((field) => (field.includes(',') ? `"${field}"` : field))
        .join(','),
    );
    const records = await recordsOf(windows1252(asCommas.join('\n')));
    expect(records.map((record) => record.intitule)).toEqual(
      accented.map((row) => row.split(';')[8]!.trim()),
    );
    expect(records.map((record) => parseAmount(record.cout_ht!))).toEqual(
      accented.map((row) => Number(row.split(';')[9]!.replace(',', '.'))),
    );
  });

  it('reads a title that spans several lines inside quotes as one row', async () => {
    const records = await recordsOf(
      Buffer.from(
        `${header}\n2024;DETR;119;commune;210100418;001;Bettant;01041;"Toiture\nde l'église";100,0;50,0;0,5\n`,
      ),
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.intitule).toBe("Toiture\nde l'église");
  });
});

describe('amounts as French files write them', () => {
  it.each([
    ['310000,0', 310000],
    ['1 234,50 €', 1234.5],
    ['1.234,5', 1234.5],
    ['\u202f12\u202f815,0', 12815],
    ['310000.0', 310000],
    ['', null],
    ['n/a', null],
  ])('reads %j as %s', (raw, amount) => {
    expect(parseAmount(raw)).toBe(amount);
  });
});

describe("a row's territory", () => {
  let territories: TerritoryRegistry;
  beforeAll(async () => {
    territories = await loadTerritoryRegistry();
  });

  it('is its commune, else its EPCI, with codes as spreadsheets write them', () => {
    expect(rowTerritory({ commune: '01041', epci: '210100418' }, territories)).toEqual({
      kind: 'exact',
      code: 'commune:01041',
    });
    expect(rowTerritory({ commune: '1041' }, territories)).toEqual({ kind: 'exact', code: 'commune:01041' });
    expect(rowTerritory({ epci: '200066355', departement: '034' }, territories)).toEqual({
      kind: 'exact',
      code: 'epci:200066355',
    });
  });

  it('keeps the département of a commune the official list no longer has, or of its département column', () => {
    expect(rowTerritory({ commune: '34999', departement: '034' }, territories)).toEqual({
      kind: 'wider',
      code: 'departement:34',
    });
    expect(rowTerritory({ departement: '02A' }, territories)).toEqual({
      kind: 'wider',
      code: 'departement:2A',
    });
    expect(rowTerritory({ departement: '971' }, territories)).toEqual({
      kind: 'wider',
      code: 'departement:971',
    });
  });

  it("keeps the région of the DGCL's codes for all of Alsace and all of Corsica, and none for a collectivity outside the list", () => {
    expect(rowTerritory({ departement: '67A' }, territories)).toEqual({ kind: 'wider', code: 'region:44' });
    expect(rowTerritory({ departement: '20B' }, territories)).toEqual({ kind: 'wider', code: 'region:94' });
    expect(rowTerritory({ departement: '987' }, territories)).toEqual({ kind: 'unknown' });
  });
});
