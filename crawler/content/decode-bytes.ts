/** The WHATWG encoding name for a label (`latin1` → `windows-1252`), or null for unknown labels. */
export function encodingForLabel(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/**
 * Pure: bytes to text in a WHATWG encoding, non-fatal (a stray invalid byte becomes U+FFFD rather
 * than losing the document), a leading BOM of that encoding dropped. windows-1252 goes through our
 * own table below, for the Node bug it avoids.
 */
export function decodeBytes(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(encoding).decode(bytes);
}

/**
 * WHATWG index-windows-1252 for bytes 0x80..0x9F (everything else is latin-1: byte value = code
 * point). The five bytes Microsoft left undefined map to the C1 controls, as the standard says.
 */
const C1_RANGE = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122,
  0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

const C1_CHARACTERS = /[\u0080-\u009f]/g;

/**
 * Pure: decodes windows-1252, the encoding behind every "ISO-8859-1" page.
 *
 * Not `new TextDecoder('windows-1252')`: since Node 20.18.3 / 22.13.0 it takes a latin-1 fast path and
 * turns `’ € œ — …` into invisible C1 controls (nodejs/node#60888, #56542), which would silently
 * corrupt the most common legacy French pages ("l’état", "15 €", "cœur").
 */
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  return latin1.replace(C1_CHARACTERS, (character) =>
    String.fromCharCode(C1_RANGE[character.charCodeAt(0) - 0x80]!),
  );
}
