/**
 * Magic numbers of the binary formats public sites actually serve behind misleading URLs and types:
 * images, office documents, archives, media, fonts, executables. PDF is detected separately (it has
 * its own extraction path); this list only says "not text, do not index as a page".
 */
interface Signature {
  format: string;
  offset: number;
  bytes: readonly number[];
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { format: 'png', offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { format: 'jpeg', offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { format: 'gif', offset: 0, bytes: ascii('GIF8') },
  { format: 'webp', offset: 8, bytes: ascii('WEBP') },
  { format: 'bmp', offset: 0, bytes: ascii('BM') },
  { format: 'ico', offset: 0, bytes: [0x00, 0x00, 0x01, 0x00] },
  { format: 'tiff', offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { format: 'tiff', offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  // ZIP covers docx, xlsx, pptx, odt, ods, epub and plain archives.
  { format: 'zip', offset: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'zip', offset: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  // OLE2 compound file: legacy .doc, .xls, .ppt, .msg.
  { format: 'ole2', offset: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { format: 'gzip', offset: 0, bytes: [0x1f, 0x8b] },
  { format: 'bzip2', offset: 0, bytes: ascii('BZh') },
  { format: 'xz', offset: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: '7z', offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'rar', offset: 0, bytes: ascii('Rar!') },
  { format: 'mp4', offset: 4, bytes: ascii('ftyp') },
  { format: 'riff', offset: 0, bytes: ascii('RIFF') },
  { format: 'ogg', offset: 0, bytes: ascii('OggS') },
  { format: 'mp3', offset: 0, bytes: ascii('ID3') },
  { format: 'flac', offset: 0, bytes: ascii('fLaC') },
  { format: 'webm', offset: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { format: 'woff', offset: 0, bytes: ascii('wOFF') },
  { format: 'woff2', offset: 0, bytes: ascii('wOF2') },
  { format: 'elf', offset: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { format: 'exe', offset: 0, bytes: ascii('MZ') },
  { format: 'wasm', offset: 0, bytes: [0x00, 0x61, 0x73, 0x6d] },
];

/** Pure: the binary format the body starts with, or null when none of the known ones. */
export function binarySignature(body: Uint8Array): string | null {
  const match = SIGNATURES.find(({ offset, bytes }) =>
    bytes.every((byte, index) => body[offset + index] === byte),
  );
  return match?.format ?? null;
}

const PDF_MAGIC = ascii('%PDF-');
/** Acrobat and pdf.js accept junk before the header within the first 1024 bytes. */
const PDF_HEADER_WINDOW = 1024;

/**
 * Pure: where the `%PDF-` header is, or null. `atStartOnly` is for bodies declared as something
 * else: an HTML page that merely mentions "%PDF-" must not become a PDF.
 */
export function pdfHeaderOffset(body: Uint8Array, { atStartOnly }: { atStartOnly: boolean }): number | null {
  const lastStart = atStartOnly ? 0 : Math.min(body.length, PDF_HEADER_WINDOW) - PDF_MAGIC.length;
  for (let start = 0; start <= lastStart; start++) {
    if (PDF_MAGIC.every((byte, index) => body[start + index] === byte)) return start;
  }
  return null;
}
