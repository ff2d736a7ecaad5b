import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DGCL_DIR, type DGCL_YEARS } from '../../eval/projects/dgcl-corpus.ts';
import { gunzipSync } from 'node:zlib';

// Where the files are and how their columns map: the eval's, so that the two never drift apart.
export { DGCL_DIR, DGCL_YEARS } from '../../eval/projects/dgcl-corpus.ts';
export { DGCL_DATASET_FIELDS as DGCL_DATASET } from '../../eval/projects/dgcl-corpus.ts';

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
