import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { brotliCompressSync, constants, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ContentDecodingError, DecompressionLimitError } from '../crawler/content/content-errors.ts';
import { readLimitedBody } from '../crawler/content/read-limited-body.ts';

const MB = 1024 * 1024;

/**
 * A response body as a fetch client exposes it: an async iterator over chunks whose `return()` cancels
 * the download. Records how many chunks were pulled and whether it was cancelled.
 */
function responseStream(bytes: Uint8Array, chunkSize = 16 * 1024) {
  const reads = { chunks: 0, cancelled: false };
  let offset = 0;
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      await Promise.resolve(); // a real socket yields to the event loop between chunks
      if (reads.cancelled || offset >= bytes.length) return { done: true, value: undefined };
      reads.chunks += 1;
      offset += chunkSize;
      return { done: false, value: bytes.subarray(offset - chunkSize, offset) };
    },
    async return() {
      await Promise.resolve();
      reads.cancelled = offset < bytes.length;
      return { done: true, value: undefined };
    },
  };
  return { stream: { [Symbol.asyncIterator]: () => iterator }, reads };
}

const HTML = Buffer.from(
  '<!DOCTYPE html><html lang="fr"><body>' +
    Array.from({ length: 2000 }, (_, n) => `<p>Délibération n°${n} du conseil municipal de Tarbes</p>`).join(
      '',
    ) +
    '</body></html>',
);
const limits = { maxBytes: 10 * MB, maxDecompressedBytes: 50 * MB };

/** 200 MB of zeros, gzipped as a stream (~200 KB) so building the bomb never holds 200 MB either. */
async function gzipBomb(zeroMegabytes: number): Promise<Buffer> {
  const zeros = Buffer.alloc(MB);
  const parts: Buffer[] = [];
  await pipeline(
    Readable.from(Array.from({ length: zeroMegabytes }, () => zeros)),
    createGzip({ level: 9 }),
    async (compressed: AsyncIterable<Buffer>) => {
      for await (const part of compressed) parts.push(part);
    },
  );
  return Buffer.concat(parts);
}

describe('reading a response body under limits', () => {
  it('returns a plain body whole', async () => {
    const { stream, reads } = responseStream(HTML);
    const { body, truncated } = await readLimitedBody(stream, limits);
    expect(Buffer.from(body).equals(HTML)).toBe(true);
    expect(truncated).toBe(false);
    expect(reads.cancelled).toBe(false);
  });

  it('inflates gzip, x-gzip, deflate (zlib and raw) and br', async () => {
    const encoded: [string, Uint8Array][] = [
      ['gzip', gzipSync(HTML)],
      ['X-Gzip', gzipSync(HTML)],
      ['deflate', deflateSync(HTML)],
      ['deflate', deflateRawSync(HTML)],
      ['br', brotliCompressSync(HTML, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })],
      ['identity', HTML],
    ];
    for (const [contentEncoding, bytes] of encoded) {
      const { body, truncated } = await readLimitedBody(responseStream(bytes, 1000).stream, {
        ...limits,
        contentEncoding,
      });
      expect(Buffer.from(body).toString('utf8'), contentEncoding).toBe(HTML.toString('utf8'));
      expect(truncated).toBe(false);
    }
  });

  it('cuts a plain body at maxBytes, returns the first bytes and cancels the download', async () => {
    const { stream, reads } = responseStream(HTML, 1000);
    const { body, truncated } = await readLimitedBody(stream, { ...limits, maxBytes: 5000 });
    expect(truncated).toBe(true);
    expect(Buffer.from(body).equals(HTML.subarray(0, 5000))).toBe(true);
    expect(reads.chunks).toBe(6);
    expect(reads.cancelled).toBe(true);
  });

  it('is not truncated when the body is exactly maxBytes long', async () => {
    const { body, truncated } = await readLimitedBody(responseStream(HTML).stream, {
      ...limits,
      maxBytes: HTML.length,
    });
    expect([body.length, truncated]).toEqual([HTML.length, false]);
  });

  it('inflates the prefix of a compressed body cut at maxBytes', async () => {
    const gzipped = gzipSync(HTML);
    const { body, truncated } = await readLimitedBody(responseStream(gzipped, 512).stream, {
      ...limits,
      contentEncoding: 'gzip',
      maxBytes: Math.floor(gzipped.length / 2),
    });
    expect(truncated).toBe(true);
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThan(HTML.length);
    expect(Buffer.from(body).equals(HTML.subarray(0, body.length))).toBe(true);
  });

  it('stops a 200 MB gzip bomb at maxDecompressedBytes, quickly and without allocating it', async () => {
    const bomb = await gzipBomb(200);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const { stream, reads } = responseStream(bomb);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    const started = performance.now();
    try {
      const reading = readLimitedBody(stream, {
        maxBytes: 10 * MB,
        contentEncoding: 'gzip',
        maxDecompressedBytes: 8 * MB,
      });
      const error = await reading.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DecompressionLimitError);
      expect(error).toMatchObject({ contentEncoding: 'gzip', maxDecompressedBytes: 8 * MB });
      expect((error as DecompressionLimitError).compressedBytesRead).toBeLessThan(bomb.length / 4);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(reads.chunks).toBeLessThan(bomb.length / (16 * 1024) / 4);
    expect(reads.cancelled).toBe(true);
    // Inflating it all would take 200 MB; stopping at the limit keeps the growth near 8 MB.
    expect(peak - baseline).toBeLessThan(64 * MB);
  });

  it('rejects codings it cannot decode instead of passing garbage on', async () => {
    for (const contentEncoding of ['zstd', 'compress', 'gzip, br']) {
      const { stream, reads } = responseStream(HTML);
      await expect(readLimitedBody(stream, { ...limits, contentEncoding })).rejects.toMatchObject({
        constructor: ContentDecodingError,
        reason: 'unsupported-encoding',
      });
      expect(reads.cancelled).toBe(true);
    }
  });

  it('rejects a corrupt compressed stream', async () => {
    const corrupt = Buffer.concat([gzipSync(HTML).subarray(0, 10), Buffer.alloc(2000, 0xff)]);
    await expect(
      readLimitedBody(responseStream(corrupt).stream, { ...limits, contentEncoding: 'gzip' }),
    ).rejects.toMatchObject({ constructor: ContentDecodingError, reason: 'corrupt-stream' });
  });

  it('lets a network failure through as it is, not as a decoding error', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const gzipped = gzipSync(HTML);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gzipped.subarray(0, 1000);
      await Promise.resolve();
      throw reset;
    }
    for (const contentEncoding of ['gzip', undefined]) {
      await expect(readLimitedBody(failing(), { ...limits, contentEncoding })).rejects.toBe(reset);
    }
  });

  it('reads a body announced as gzip but sent plain (a misconfigured server) as it is', async () => {
    const { body } = await readLimitedBody(responseStream(HTML).stream, {
      ...limits,
      contentEncoding: 'gzip',
    });
    expect(Buffer.from(body).equals(HTML)).toBe(true);
  });

  it('returns an empty body for an empty stream, whatever the coding', async () => {
    for (const contentEncoding of [undefined, 'gzip', 'br']) {
      const { body, truncated } = await readLimitedBody(responseStream(new Uint8Array()).stream, {
        ...limits,
        contentEncoding,
      });
      expect([body.length, truncated]).toEqual([0, false]);
    }
  });
});
