/** What the bytes of a document say about UTF-8, whatever its labels claim. */
export interface Utf8Evidence {
  /** Well-formed multi-byte sequences (accented letters, typographic quotes, €...). */
  multiByteSequences: number;
  /** Bytes that cannot start or continue a well-formed sequence. */
  invalidBytes: number;
}

/**
 * Pure: counts well-formed UTF-8 multi-byte sequences and invalid bytes (per the Unicode table of
 * well-formed byte sequences: no overlongs, no surrogates, nothing above U+10FFFF). A sequence cut by
 * the end of the buffer is not counted as invalid: bodies are truncated at a size limit, and that
 * must not turn a UTF-8 page into windows-1252.
 */
export function utf8Evidence(bytes: Uint8Array): Utf8Evidence {
  let multiByteSequences = 0;
  let invalidBytes = 0;
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const shape = sequenceShape(lead);
    if (!shape) {
      invalidBytes += 1;
      index += 1;
      continue;
    }
    const available = bytes.length - index - 1;
    let matched = 0;
    while (matched < shape.continuations && matched < available) {
      const byte = bytes[index + 1 + matched]!;
      const [low, high] = matched === 0 ? shape.secondByte : [0x80, 0xbf];
      if (byte < low || byte > high) break;
      matched += 1;
    }
    if (matched === shape.continuations) {
      multiByteSequences += 1;
      index += 1 + matched;
    } else if (matched === available) {
      break; // cut by the end of the buffer: neither evidence for nor against
    } else {
      invalidBytes += 1;
      index += 1 + matched;
    }
  }
  return { multiByteSequences, invalidBytes };
}

/**
 * Whether bytes are better read as UTF-8 than as a legacy single-byte encoding. Latin-1 French text
 * almost never forms valid UTF-8 by chance (`é` is 0xE9, which needs two continuation bytes), so a
 * majority of well-formed sequences means UTF-8 with a few stray bytes (a pasted footer, a legacy
 * include), while a majority of invalid bytes means a legacy page.
 */
export function looksLikeUtf8(evidence: Utf8Evidence): boolean {
  return evidence.multiByteSequences > evidence.invalidBytes;
}

interface SequenceShape {
  continuations: number;
  /** The allowed range of the second byte, narrower than 80..BF for some leads. */
  secondByte: readonly [number, number];
}

function sequenceShape(lead: number): SequenceShape | null {
  if (lead >= 0xc2 && lead <= 0xdf) return { continuations: 1, secondByte: [0x80, 0xbf] };
  if (lead === 0xe0) return { continuations: 2, secondByte: [0xa0, 0xbf] }; // no overlongs
  if (lead === 0xed) return { continuations: 2, secondByte: [0x80, 0x9f] }; // no surrogates
  if (lead >= 0xe1 && lead <= 0xef) return { continuations: 2, secondByte: [0x80, 0xbf] };
  if (lead === 0xf0) return { continuations: 3, secondByte: [0x90, 0xbf] };
  if (lead >= 0xf1 && lead <= 0xf3) return { continuations: 3, secondByte: [0x80, 0xbf] };
  if (lead === 0xf4) return { continuations: 3, secondByte: [0x80, 0x8f] }; // max U+10FFFF
  return null;
}
