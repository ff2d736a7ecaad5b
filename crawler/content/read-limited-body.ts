import { pipeline } from 'node:stream/promises';
import { ContentDecodingError, DecompressionLimitError } from './content-errors.ts';
import { type ContentCoding, createDecoder, parseContentEncoding } from './content-encoding.ts';

export interface BodyLimits {
  /** Bytes read off the wire (compressed when there is a Content-Encoding). */
  maxBytes: number;
  /** The response's Content-Encoding header; absent or `identity` when the body is plain. */
  contentEncoding?: string;
  /** Bytes the decoded body may reach; past it, the body is treated as a decompression bomb. */
  maxDecompressedBytes: number;
}

export interface LimitedBody {
  body: Uint8Array;
  /** True when the wire limit cut the body: the caller may still index the first bytes. */
  truncated: boolean;
}

/**
 * Reads a response body under two limits, decoding gzip, deflate and br itself (node:zlib, streamed
 * with backpressure, so memory stays at about the limits whatever the server sends).
 *
 * - Past `maxBytes` on the wire, reading stops and the body is returned `truncated`: the first
 *   megabytes of an oversized HTML page are worth indexing, and a compressed prefix still inflates.
 * - Past `maxDecompressedBytes` decoded, a `DecompressionLimitError` is thrown: a body that inflates
 *   that far is a bomb (or pathological), and its prefix is not worth indexing.
 * - An unsupported coding or a corrupt compressed stream throws `ContentDecodingError` (except that a
 *   stream we cut ourselves is expected to end abruptly).
 *
 * Whenever it stops before the end, it calls the stream's `return()`: for a fetch body that cancels
 * the download and frees the connection.
 */
export async function readLimitedBody(
  stream: AsyncIterable<Uint8Array>,
  limits: BodyLimits,
): Promise<LimitedBody> {
  const iterator = stream[Symbol.asyncIterator]();
  let coding: ContentCoding;
  try {
    coding = parseContentEncoding(limits.contentEncoding);
  } catch (error) {
    await iterator.return?.(); // an unread fetch body would hold its connection
    throw error;
  }
  const wire: WireState = { bytesRead: 0, truncated: false, failure: null };
  const head = await readAtLeast(iterator, 2);
  // An empty body (204, 304, HEAD) is empty whatever coding the headers announce.
  if (head.every((chunk) => chunk.length === 0)) return { body: new Uint8Array(), truncated: false };
  const decoder = createDecoder(coding, concatenate(head));
  const source = limitedChunks(head, iterator, limits.maxBytes, wire);
  if (!decoder) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of source) chunks.push(chunk);
    return { body: concatenate(chunks), truncated: wire.truncated };
  }
  const decoded: Uint8Array[] = [];
  let decodedBytes = 0;
  try {
    await pipeline(source, decoder, async (output: AsyncIterable<Buffer>) => {
      for await (const chunk of output) {
        decodedBytes += chunk.length;
        if (decodedBytes > limits.maxDecompressedBytes) {
          throw new DecompressionLimitError(coding, limits.maxDecompressedBytes, wire.bytesRead);
        }
        decoded.push(chunk);
      }
    });
  } catch (error) {
    if (error instanceof DecompressionLimitError) throw error;
    // A network failure is the fetcher's to report (and maybe retry), not a decoding problem.
    if (wire.failure) throw wire.failure.error;
    // We cut the compressed stream ourselves: its abrupt end is expected, keep what inflated.
    if (!wire.truncated) throw new ContentDecodingError(coding, 'corrupt-stream', { cause: error });
  }
  return { body: concatenate(decoded), truncated: wire.truncated };
}

/** What was read off the wire so far. */
interface WireState {
  bytesRead: number;
  truncated: boolean;
  /** Set when the response stream itself failed (reset, timeout), as opposed to its decoding. */
  failure: { error: unknown } | null;
}

/** Pulls chunks until at least `count` bytes are known (or the stream ends), to sniff magic bytes. */
async function readAtLeast(iterator: AsyncIterator<Uint8Array>, count: number): Promise<Uint8Array[]> {
  const head: Uint8Array[] = [];
  let length = 0;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    length += next.value.length;
  }
  return head;
}

/** The peeked chunks then the rest of the stream, cut at `maxBytes`; records what it read. */
async function* limitedChunks(
  head: Uint8Array[],
  iterator: AsyncIterator<Uint8Array>,
  maxBytes: number,
  wire: WireState,
): AsyncGenerator<Uint8Array> {
  let exhausted = false;
  try {
    for (const chunk of head) {
      const { allowed, more } = takeWithinLimit(chunk, maxBytes, wire);
      if (allowed.length > 0) yield allowed;
      if (!more) return;
    }
    for (;;) {
      const next = await nextChunk(iterator, wire);
      if (next.done) {
        exhausted = true;
        return;
      }
      const { allowed, more } = takeWithinLimit(next.value, maxBytes, wire);
      if (allowed.length > 0) yield allowed;
      if (!more) return;
    }
  } finally {
    // Reached too when a consumer stops early: cancel the download unless it already ended.
    if (!exhausted) await iterator.return?.();
  }
}

async function nextChunk(
  iterator: AsyncIterator<Uint8Array>,
  wire: WireState,
): Promise<IteratorResult<Uint8Array>> {
  try {
    return await iterator.next();
  } catch (error) {
    wire.failure = { error };
    throw error;
  }
}

/** The part of `chunk` under the limit, and whether reading may go on. */
function takeWithinLimit(
  chunk: Uint8Array,
  maxBytes: number,
  wire: WireState,
): { allowed: Uint8Array; more: boolean } {
  const room = maxBytes - wire.bytesRead;
  if (chunk.length > room) {
    wire.truncated = true;
    wire.bytesRead = maxBytes;
    return { allowed: chunk.subarray(0, Math.max(room, 0)), more: false };
  }
  wire.bytesRead += chunk.length;
  return { allowed: chunk, more: true };
}

function concatenate(chunks: Uint8Array[]): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
