import { pipeline, Readable } from 'node:stream';
import { BodyTooLargeError, DecompressionLimitError } from './content-errors.ts';
import { createDecoder, parseContentEncoding } from './content-encoding.ts';

export interface StreamLimits {
  /** Bytes off the wire; past it the body is refused whole (a dataset cut short would lose rows). */
  maxBytes: number;
  contentEncoding?: string;
  maxDecompressedBytes: number;
}

/**
 * A response body as decoded chunks, for a body too large to hold (a dataset file of 100 MB): gzip,
 * deflate and br decoded with backpressure, both limits checked as it flows. Memory stays at a few
 * chunks whatever the size. A body over a limit throws: unlike a page, a dataset is not read in part.
 */
export async function* streamedBody(
  body: AsyncIterable<Uint8Array>,
  limits: StreamLimits,
): AsyncGenerator<Uint8Array> {
  const coding = parseContentEncoding(limits.contentEncoding);
  let wireBytes = 0;
  async function* wire(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
      yield chunk;
    }
  }
  if (coding === 'identity') {
    yield* wire();
    return;
  }
  const chunks = wire();
  const first = await chunks.next();
  if (first.done) return;
  const decoder = createDecoder(coding, first.value);
  if (!decoder) {
    yield first.value;
    yield* chunks;
    return;
  }
  const source = Readable.from(
    (async function* () {
      yield first.value;
      yield* chunks;
    })(),
  );
  // pipeline, not pipe: an error on either side (the network, a corrupt stream) ends the iteration.
  pipeline(source, decoder, () => undefined);
  let decodedBytes = 0;
  for await (const decoded of decoder as AsyncIterable<Buffer>) {
    decodedBytes += decoded.length;
    if (decodedBytes > limits.maxDecompressedBytes) {
      source.destroy();
      throw new DecompressionLimitError(coding, limits.maxDecompressedBytes, wireBytes);
    }
    yield decoded;
  }
}
