import { AppError } from '../../core/errors.ts';

/**
 * Errors raised while turning fetched bytes into indexable content. Each one says which limit or
 * which step failed, so the crawl report can count them per kind and the fetcher can decide whether
 * to retry (it never should: these are properties of the bytes, not of the network).
 */

/** The decompressed body grew past the allowed size: almost always a decompression bomb. */
export class DecompressionLimitError extends AppError {
  readonly code = 'decompression_limit';
  constructor(
    readonly contentEncoding: string,
    readonly maxDecompressedBytes: number,
    /** Compressed bytes consumed when the limit was hit: a tiny number here means a huge ratio. */
    readonly compressedBytesRead: number,
  ) {
    super(
      `Body (${contentEncoding}) inflates past ${maxDecompressedBytes} bytes ` +
        `after only ${compressedBytesRead} compressed bytes`,
    );
  }
}

/** The body claims a Content-Encoding we cannot decode, or its compressed stream is corrupt. */
export class ContentDecodingError extends AppError {
  readonly code = 'content_decoding';
  constructor(
    readonly contentEncoding: string,
    readonly reason: 'unsupported-encoding' | 'corrupt-stream',
    options?: { cause?: unknown },
  ) {
    super(`Cannot decode body with Content-Encoding '${contentEncoding}': ${reason}`, options);
  }
}

/** pdf.js could not read the document: not a PDF, damaged, or protected by a password. */
export class PdfExtractionError extends AppError {
  readonly code = 'pdf_extraction';
  constructor(
    readonly reason: 'invalid' | 'encrypted' | 'failed',
    readonly byteLength: number,
    options?: { cause?: unknown },
  ) {
    super(`Cannot extract text from PDF (${byteLength} bytes): ${reason}`, options);
  }
}

/** A body read as a stream (a dataset file) is larger than its limit: it is not read in part. */
export class BodyTooLargeError extends AppError {
  readonly code = 'body_too_large';
  constructor(readonly maxBytes: number) {
    super(`Body larger than ${Math.round(maxBytes / 1_048_576)} MB`);
  }
}
