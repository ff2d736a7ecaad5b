import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';
import type { ZodError } from 'zod';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  InvalidParametersError,
  NotFoundError,
  OriginNotAllowedError,
  RateLimitedError,
  SearchEngineUnavailableError,
  SourcesFileError,
  UnauthorizedError,
  UnknownPartnerKeyError,
} from '../core/errors.ts';
import { FileLockTimeoutError } from '../core/file-lock.ts';
import type { Logger } from '../core/logger.ts';
import { StoreBusyError } from '../store/writer-lock.ts';
import { renderPageError } from './page/page-error.tsx';
import { pageHeaders } from './page/page-headers.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: { parameter: string; message: string }[] };
}

export function errorBody(code: string, message: string, details?: ErrorBody['error']['details']): ErrorBody {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** A 400 that names every bad parameter and why. */
export function invalidParameters(c: Context, error: ZodError): Response {
  const details = error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ parameter: key, message: 'unknown parameter' }))
      : // The parameter's name as the client sent it; a list item's position goes in the message.
        [
          {
            parameter: String(issue.path[0] ?? '(request)'),
            message:
              issue.path.length > 1 ? `item ${String(issue.path[1])}: ${issue.message}` : issue.message,
          },
        ],
  );
  const { code, message } = new InvalidParametersError(details);
  return c.json(errorBody(code, message, details), 400);
}

/**
 * The one place where errors become HTTP responses. Internal details never reach the client. The
 * search page (`/`) gets the same status as a page a person can read; everything else gets JSON.
 */
export function errorResponse(c: Context, error: unknown, log: Logger): Response | Promise<Response> {
  const { status, body } = classify(error);
  // Through the request's logger (request-log.ts), so that the failure carries its request id.
  if (status >= 500) (c.get('log') ?? log).error({ err: error, path: c.req.path }, 'request failed');
  if (error instanceof UnauthorizedError) c.header('WWW-Authenticate', `Bearer realm="${error.realm}"`);
  if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
  if (c.req.path === '/') {
    pageHeaders(c);
    const language = c.req.query('hl') === 'en' ? 'en' : 'fr';
    const html = renderPageError({
      status,
      message: body.error.message,
      details: body.error.details ?? [],
      language,
    });
    return c.html(html, status);
  }
  return c.json(body, status);
}

/**
 * `/readyz` when a search cannot be made: a 503 whose code names the reason (Meilisearch
 * unreachable, the API's key refused, the index missing). Not logged: orchestrators poll it, and
 * the answer itself says why.
 */
export function notReadyResponse(c: Context, error: unknown, extra: Record<string, unknown> = {}): Response {
  const { status, body } = classify(error);
  return c.json({ ...body, ...extra }, status >= 500 ? 503 : status);
}

/** The code `/readyz` would answer `error` with, for one search host among several (health-routes.ts). */
export function notReadyCode(error: unknown): string {
  return classify(error).body.error.code;
}

function classify(error: unknown): { status: ContentfulStatusCode; body: ErrorBody } {
  if (error instanceof InvalidParametersError) {
    return { status: 400, body: errorBody(error.code, error.message, error.details) };
  }
  if (error instanceof NotFoundError) return { status: 404, body: errorBody(error.code, error.message) };
  if (error instanceof UnauthorizedError) return { status: 401, body: errorBody(error.code, error.message) };
  if (error instanceof ForbiddenError) return { status: 403, body: errorBody(error.code, error.message) };
  // Admin edits: the whitelist's own checks, each problem named by entry and field.
  if (error instanceof SourcesFileError) {
    const details = error.problems.map((problem) => ({
      parameter: [problem.entry, problem.field].filter(Boolean).join('.') || problem.file,
      message: problem.message,
    }));
    return { status: 400, body: errorBody(error.code, 'The sources file would not be valid.', details) };
  }
  // Another writer holds the store or the sources file: say who, so the admin knows what to wait for.
  if (error instanceof StoreBusyError || error instanceof FileLockTimeoutError) {
    return { status: 409, body: errorBody(error.code, error.message) };
  }
  if (error instanceof ConflictError) return { status: 409, body: errorBody(error.code, error.message) };
  if (error instanceof RateLimitedError) return { status: 429, body: errorBody(error.code, error.message) };
  if (error instanceof UnknownPartnerKeyError) {
    return {
      status: 401,
      body: errorBody(error.code, error.message, [{ parameter: 'key', message: 'unknown key' }]),
    };
  }
  if (error instanceof OriginNotAllowedError)
    return { status: 403, body: errorBody(error.code, error.message) };
  if (
    error instanceof SearchEngineUnavailableError ||
    error instanceof MeilisearchRequestError ||
    error instanceof MeilisearchRequestTimeOutError
  ) {
    return {
      status: 503,
      body: errorBody('search_engine_unavailable', 'The search engine is unavailable, please retry shortly.'),
    };
  }
  if (error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found') {
    return { status: 503, body: errorBody('index_not_ready', 'Nothing has been indexed yet.') };
  }
  // The API's search-only key is registered in the background at start-up (meili/search-key.ts):
  // until Meilisearch has it, nothing can be served, as when Meilisearch is down.
  if (
    error instanceof MeilisearchApiError &&
    (error.cause?.code === 'invalid_api_key' || error.cause?.code === 'missing_authorization_header')
  ) {
    return {
      status: 503,
      body: errorBody(
        'search_key_refused',
        "The search engine does not accept the API's key yet, please retry shortly.",
      ),
    };
  }
  if (error instanceof AppError) return { status: 500, body: errorBody(error.code, 'Internal error.') };
  return { status: 500, body: errorBody('internal_error', 'Internal error.') };
}
