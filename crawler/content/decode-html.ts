import { isUtf8 } from 'node:buffer';
import { parseContentType } from './content-type.ts';
import { looksLikeUtf8, utf8Evidence } from './utf8-evidence.ts';
import { decodeBytes, encodingForLabel } from './decode-bytes.ts';

export interface DecodedHtml {
  html: string;
  /** The WHATWG name of the encoding used, e.g. `utf-8`, `windows-1252`, `iso-8859-15`. */
  charset: string;
  /** Where the charset came from; `detected` also covers a label overruled by the bytes. */
  charsetSource: 'bom' | 'header' | 'meta' | 'detected';
}

/** WHATWG scans 1024 bytes; French CMS pages put long comments and scripts first, so look further. */
const META_SCAN_BYTES = 2048;

/**
 * Pure: decodes an HTML body. The charset comes from, in order: a byte order mark, the Content-Type
 * charset, a `<meta>` declaration in the first 2 KB, then the bytes themselves (UTF-8 when they read
 * as UTF-8, else windows-1252, the real encoding behind "ISO-8859-1" pages).
 *
 * Labels go through `TextDecoder`'s label table, which applies the WHATWG label table: `iso-8859-1`, `latin1` and
 * `us-ascii` all mean windows-1252, exactly as in browsers. Unknown labels are ignored.
 *
 * Labels lie, typically a server-wide `charset=UTF-8` in front of legacy latin-1 pages, or the
 * reverse. We index text rather than render it faithfully, so the bytes overrule a declared label
 * when the evidence is clear (see `utf8-evidence.ts`): a "UTF-8" page made mostly of invalid sequences
 * is decoded as windows-1252; a page declared in a single-byte legacy encoding whose non-ASCII bytes
 * are all well-formed UTF-8 is decoded as UTF-8. A BOM is never overruled.
 */
export function decodeHtml(body: Uint8Array, contentTypeHeader: string | undefined): DecodedHtml {
  const bom = encodingFromBom(body);
  if (bom) return decodeAs(body, bom, 'bom');
  const declared =
    declaredEncoding(parseContentType(contentTypeHeader).charset, 'header') ??
    declaredEncoding(metaCharset(body), 'meta');
  if (declared) {
    const corrected = correctedByBytes(body, declared.encoding);
    return corrected
      ? decodeAs(body, corrected, 'detected')
      : decodeAs(body, declared.encoding, declared.source);
  }
  // Valid UTF-8 throughout (checked natively, most pages) needs no counting.
  if (isUtf8(body)) return decodeAs(body, 'utf-8', 'detected');
  const evidence = utf8Evidence(body);
  const detected = evidence.invalidBytes === 0 || looksLikeUtf8(evidence) ? 'utf-8' : 'windows-1252';
  return decodeAs(body, detected, 'detected');
}

function decodeAs(
  body: Uint8Array,
  encoding: string,
  charsetSource: DecodedHtml['charsetSource'],
): DecodedHtml {
  return { html: decodeBytes(body, encoding), charset: encoding, charsetSource };
}

function encodingFromBom(body: Uint8Array): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return null;
}

function declaredEncoding(
  label: string | null,
  source: 'header' | 'meta',
): { encoding: string; source: 'header' | 'meta' } | null {
  const encoding = label ? encodingForLabel(label) : null;
  if (!encoding) return null;
  // A meta tag readable as ASCII cannot be in UTF-16: WHATWG reads such pages as UTF-8.
  if (source === 'meta' && encoding.startsWith('utf-16')) return { encoding: 'utf-8', source };
  return { encoding, source };
}

const SINGLE_BYTE_LEGACY = /^(windows-125\d|iso-8859-\d+|koi8-[ru]|macintosh)$/;

/** The encoding the bytes impose over the declared one, or null when the declaration stands. */
function correctedByBytes(body: Uint8Array, declared: string): string | null {
  if (declared === 'utf-8') {
    // The common case, a page that is what it says, is settled by a native check; the byte-by-byte
    // count is for the others (and a body cut by the size limit in the middle of a character).
    if (isUtf8(body)) return null;
    const evidence = utf8Evidence(body);
    return evidence.invalidBytes > 0 && !looksLikeUtf8(evidence) ? 'windows-1252' : null;
  }
  if (SINGLE_BYTE_LEGACY.test(declared)) {
    const evidence = utf8Evidence(body);
    return evidence.invalidBytes === 0 && evidence.multiByteSequences > 0 ? 'utf-8' : null;
  }
  return null;
}

const META_TAG = /<meta\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
const CHARSET_IN_CONTENT = /charset\s*=\s*["']?\s*([^\s"';]+)/i;

/** The charset of the first `<meta charset>` or `<meta http-equiv="Content-Type">` near the top. */
function metaCharset(body: Uint8Array): string | null {
  // latin1 maps every byte to one code point, so the ASCII markup survives whatever the encoding.
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, META_SCAN_BYTES))
    .toString('latin1')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const [, rawAttributes = ''] of head.matchAll(META_TAG)) {
    const attributes = new Map<string, string>();
    for (const [, name = '', double, single, bare] of rawAttributes.matchAll(ATTRIBUTE)) {
      const key = name.toLowerCase();
      if (!attributes.has(key)) attributes.set(key, double ?? single ?? bare ?? '');
    }
    const charset = attributes.get('charset')?.trim();
    if (charset) return charset;
    if (attributes.get('http-equiv')?.trim().toLowerCase() === 'content-type') {
      const match = CHARSET_IN_CONTENT.exec(attributes.get('content') ?? '');
      if (match?.[1]) return match[1];
    }
  }
  return null;
}
