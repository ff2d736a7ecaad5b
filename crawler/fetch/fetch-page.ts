import { request, type Dispatcher } from 'undici';
import { ACCEPT_HEADER } from '../content/content-kind.ts';
import {
  BodyTooLargeError,
  ContentDecodingError,
  DecompressionLimitError,
} from '../content/content-errors.ts';
import { readLimitedBody } from '../content/read-limited-body.ts';
import { streamedBody } from '../content/streamed-body.ts';
import type { FetchOutcome, RedirectRefusal } from './fetch-outcome.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface FetchLimits {
  /** Whole request, redirects included, headers and body. */
  totalTimeoutMs: number;
  maxBytes: number;
  maxDecompressedBytes: number;
  maxRedirects: number;
}

export interface FetchPageOptions {
  dispatcher: Dispatcher;
  userAgent: string;
  limits: FetchLimits;
  /**
   * Asked before every request, the first and each redirect hop: a URL for which it answers a
   * refusal is never requested. This is where scope and robots.txt are enforced.
   */
  mayRequest: (url: URL) => true | Exclude<RedirectRefusal, 'loop' | 'too-many' | 'bad-location'>;
  /**
   * Awaited before every request, the first and each redirect hop (`hop` counts from 0): where the
   * host's politeness gate is taken, so that a hop waits its turn like any request.
   */
  beforeRequest?: (url: URL, hop: number) => Promise<void>;
  /**
   * Validators of the copy we already have, for a conditional request: sent to the URL they belong
   * to, which is the last hop when the page redirected last time.
   */
  conditional?: { url: string; etag: string | null; lastModified: string | null } | null;
  /**
   * For a body too large to hold (a dataset file): a 2xx body is handed over as decoded chunks
   * (streamed-body.ts, `limits.maxBytes` refused whole) instead of being read into `body`, which is
   * then empty. Throwing from it ends the fetch with that error.
   */
  consumeBody?: (chunks: AsyncIterable<Uint8Array>, headers: Record<string, string>) => Promise<void>;
  now?: () => Date;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches one URL, following redirects itself so that every hop is checked before it is requested
 * (an HTTP client's automatic following would request the hop first and tell us afterwards).
 */
export async function fetchPage(start: URL, options: FetchPageOptions): Promise<FetchOutcome> {
  const { limits } = options;
  const firstVerdict = options.mayRequest(start);
  if (firstVerdict !== true)
    return {
      kind: 'refused',
      url: start,
      target: start,
      reason: firstVerdict,
      redirects: [],
      requested: false,
    };
  // The time limit counts time on the network, not time spent waiting for the host's turn.
  let networkMs = 0;
  let hopStarted = 0;
  let signal: AbortSignal;
  const redirects: URL[] = [];
  const visited = new Set<string>([start.href]);
  let url = start;
  for (;;) {
    let response: Dispatcher.ResponseData;
    try {
      await options.beforeRequest?.(url, redirects.length);
      hopStarted = performance.now();
      signal = AbortSignal.timeout(Math.max(1, Math.round(limits.totalTimeoutMs - networkMs)));
      response = await request(url, {
        dispatcher: options.dispatcher,
        method: 'GET',
        signal,
        headers: requestHeaders(options, url),
      });
    } catch (error) {
      return networkError(url, error, redirects);
    }
    const headers = flattenHeaders(response.headers);
    if (REDIRECT_STATUSES.has(response.statusCode)) {
      await response.body.dump();
      networkMs += performance.now() - hopStarted;
      const refusal = checkRedirect(url, headers.location, visited, redirects.length, options);
      if ('reason' in refusal) return { kind: 'refused', url, ...refusal, redirects, requested: true };
      redirects.push(refusal.next);
      visited.add(refusal.next.href);
      url = refusal.next;
      continue;
    }
    if (response.statusCode === 304) {
      await response.body.dump();
      return { kind: 'not-modified', url, redirects };
    }
    if (response.statusCode >= 400 || response.statusCode < 200) {
      await response.body.dump();
      const now = options.now?.() ?? new Date();
      const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
      return { kind: 'http-error', url, status: response.statusCode, retryAfterMs, redirects };
    }
    if (options.consumeBody) {
      try {
        await options.consumeBody(
          streamedBody(response.body, {
            maxBytes: limits.maxBytes,
            contentEncoding: headers['content-encoding'],
            maxDecompressedBytes: limits.maxDecompressedBytes,
          }),
          headers,
        );
      } catch (error) {
        response.body.destroy();
        if (
          error instanceof BodyTooLargeError ||
          error instanceof DecompressionLimitError ||
          error instanceof ContentDecodingError
        ) {
          return { kind: 'too-large', url, message: error.message, redirects };
        }
        if (isStreamFailure(error)) return networkError(url, error, redirects);
        throw error;
      }
      return {
        kind: 'fetched',
        url,
        status: response.statusCode,
        headers,
        body: new Uint8Array(),
        truncated: false,
        redirects,
      };
    }
    try {
      const { body, truncated } = await readLimitedBody(response.body, {
        maxBytes: limits.maxBytes,
        contentEncoding: headers['content-encoding'],
        maxDecompressedBytes: limits.maxDecompressedBytes,
      });
      return { kind: 'fetched', url, status: response.statusCode, headers, body, truncated, redirects };
    } catch (error) {
      response.body.destroy();
      if (error instanceof DecompressionLimitError || error instanceof ContentDecodingError) {
        return { kind: 'too-large', url, message: error.message, redirects };
      }
      return networkError(url, error, redirects);
    }
  }
}

function checkRedirect(
  from: URL,
  location: string | undefined,
  visited: Set<string>,
  hops: number,
  options: FetchPageOptions,
): { next: URL } | { reason: RedirectRefusal; target: URL | null } {
  if (!location || !URL.canParse(location, from)) return { reason: 'bad-location', target: null };
  const next = new URL(location, from);
  next.hash = '';
  if (visited.has(next.href)) return { reason: 'loop', target: next };
  if (hops >= options.limits.maxRedirects) return { reason: 'too-many', target: next };
  const verdict = options.mayRequest(next);
  if (verdict !== true) return { reason: verdict, target: next };
  return { next };
}

function requestHeaders(options: FetchPageOptions, url: URL): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: ACCEPT_HEADER,
    'accept-language': 'fr-FR,fr;q=0.9',
    'accept-encoding': 'gzip, deflate, br',
  };
  // Validators describe the resource that answered them: sent to that URL only, whichever hop it is.
  const conditional = options.conditional?.url === url.href ? options.conditional : null;
  if (conditional?.etag) headers['if-none-match'] = conditional.etag;
  if (conditional?.lastModified) headers['if-modified-since'] = conditional.lastModified;
  return headers;
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function networkError(url: URL, error: unknown, redirects: URL[]): FetchOutcome {
  const failure = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code =
    failure.name === 'TimeoutError' || failure.name === 'AbortError'
      ? 'TIMEOUT'
      : (failure.code ?? failure.cause?.code ?? 'NETWORK');
  return { kind: 'network-error', url, code, message: String(failure.message ?? error), redirects };
}

/** The response stream itself failed (a reset, the time limit), not what reads it. */
function isStreamFailure(error: unknown): boolean {
  const failure = error as { name?: string; code?: string };
  return (
    failure.name === 'TimeoutError' ||
    failure.name === 'AbortError' ||
    (typeof failure.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(failure.code))
  );
}
