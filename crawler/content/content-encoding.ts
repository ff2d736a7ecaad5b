import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { ContentDecodingError } from './content-errors.ts';

export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br';

const CODINGS: Record<string, ContentCoding> = {
  identity: 'identity',
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
};

/**
 * Pure: the coding of a Content-Encoding header. Only one real coding is supported: stacked codings
 * (`gzip, br`) and anything Node 20 cannot inflate (zstd, compress) are rejected rather than passed
 * on as garbage to the HTML parser.
 */
export function parseContentEncoding(header: string | undefined): ContentCoding {
  const codings = (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0) return 'identity';
  const coding = codings.length === 1 ? CODINGS[codings[0]!] : undefined;
  if (!coding) throw new ContentDecodingError(header ?? '', 'unsupported-encoding');
  return coding;
}

/**
 * The streaming decoder for a coding, chosen with a look at the first bytes (at least two):
 *
 * - `deflate` is meant to be zlib-wrapped (RFC 9110), but some servers send raw deflate; browsers
 *   accept both, so do we, telling them apart by the zlib header check;
 * - `gzip` on a body without the gzip magic bytes is a misconfigured server sending plain bytes:
 *   read as identity instead of failing the page.
 *
 * Returns null when the body needs no decoding.
 */
export function createDecoder(coding: ContentCoding, firstBytes: Uint8Array): Transform | null {
  switch (coding) {
    case 'identity':
      return null;
    case 'gzip':
      return firstBytes[0] === 0x1f && firstBytes[1] === 0x8b ? createGunzip() : null;
    case 'deflate':
      return hasZlibHeader(firstBytes) ? createInflate() : createInflateRaw();
    case 'br':
      return createBrotliDecompress();
  }
}

/** RFC 1950: compression method 8 (deflate) and a header checksum that is a multiple of 31. */
function hasZlibHeader(bytes: Uint8Array): boolean {
  const [cmf, flg] = bytes;
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}
