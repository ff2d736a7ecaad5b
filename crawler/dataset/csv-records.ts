import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { decodeBytes } from '../content/decode-bytes.ts';
import { utf8Evidence } from '../content/utf8-evidence.ts';

export interface CsvOptions {
  delimiter?: ';' | ',' | '\t';
  encoding?: 'utf-8' | 'windows-1252';
}

/** One row of a CSV file, by column name, with its record number (1 = the first row after the header). */
export interface CsvRecord {
  number: number;
  values: Record<string, string>;
}

/** Bytes looked at to tell UTF-8 from Windows-1252 when the file has no BOM. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The rows of a CSV file read as a stream (never whole in memory), as published files come: UTF-8
 * with or without BOM, or Windows-1252 (told apart by the bytes themselves unless `encoding` says),
 * `;`, `,` or tab separated (read off the header line unless `delimiter` says), quoted fields with
 * newlines. Parsing is csv-parse's; a row with more or fewer fields than the header is kept (missing
 * values are empty).
 */
export async function* csvRecords(
  chunks: AsyncIterable<Uint8Array>,
  options: CsvOptions = {},
): AsyncGenerator<CsvRecord> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head = await readHead(iterator);
  const encoding = options.encoding ?? guessEncoding(head);
  const text = decodedText(head, iterator, encoding);
  const first = await text.next();
  if (first.done) return;
  const delimiter = options.delimiter ?? guessDelimiter(first.value);
  const parser = parse({
    delimiter,
    columns: (header: string[]) => header.map((name) => name.trim()),
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    trim: true,
  });
  // pipeline, not pipe: a failure of the download ends the iteration with it, not silently.
  pipeline(
    Readable.from(
      (async function* () {
        yield first.value;
        yield* text;
      })(),
    ),
    parser,
    () => undefined,
  );
  let number = 0;
  for await (const values of parser as AsyncIterable<Record<string, string>>) {
    number++;
    yield { number, values };
  }
}

async function readHead(iterator: AsyncIterator<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  return Buffer.concat(parts);
}

/** A BOM, or well-formed UTF-8 with no invalid byte, is UTF-8; anything else Windows-1252. */
function guessEncoding(head: Uint8Array): 'utf-8' | 'windows-1252' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  return utf8Evidence(head).invalidBytes === 0 ? 'utf-8' : 'windows-1252';
}

async function* decodedText(
  head: Uint8Array,
  iterator: AsyncIterator<Uint8Array>,
  encoding: 'utf-8' | 'windows-1252',
): AsyncGenerator<string> {
  // UTF-8 may cut a character between two chunks: a streaming decoder keeps the partial bytes.
  const utf8 = new TextDecoder('utf-8');
  const decode = (bytes: Uint8Array, last = false) =>
    encoding === 'utf-8' ? utf8.decode(bytes, { stream: !last }) : decodeBytes(bytes, 'windows-1252');
  if (head.length > 0) yield decode(head);
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    yield decode(next.value);
  }
  const rest = decode(new Uint8Array(), true);
  if (rest) yield rest;
}

/** The separator the header line uses most. */
function guessDelimiter(text: string): ';' | ',' | '\t' {
  const header = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = ([';', ',', '\t'] as const).map((delimiter) => ({
    delimiter,
    count: header.split(delimiter).length - 1,
  }));
  return counts.reduce((best, next) => (next.count > best.count ? next : best)).delimiter;
}
