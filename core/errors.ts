/**
 * Errors carry data: each subclass says what went wrong in fields a caller (or the HTTP layer, in
 * one place: `api/error-response.ts`) can act on, and keeps the underlying error as `cause`.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found in a configuration input: which file, which entry, which field, what was wrong. */
export interface ConfigProblem {
  file: string;
  /** The source (or partner) id when known, else `sources[<index>]`; absent for file-level problems. */
  entry?: string;
  field?: string;
  message: string;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = [problem.file, problem.entry, problem.field].filter(Boolean).join(': ');
  return `${where}: ${problem.message}`;
}

/** `sources.yaml` (or another sources file) is unreadable or invalid; lists every problem found. */
export class SourcesFileError extends AppError {
  readonly code = 'invalid_sources_file';
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid sources file:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}

/** `partners.yaml` is unreadable or invalid; lists every problem, each naming the partner and the field. */
export class PartnersFileError extends AppError {
  readonly code = 'invalid_partners_file';
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid partners file:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}

/** A request names a partner key that no enabled partner has. */
export class UnknownPartnerKeyError extends AppError {
  readonly code = 'unknown_partner_key';
  constructor() {
    super('No partner has this key (parameter key).');
  }
}

/** A partner's key used from a page whose origin the partner did not declare. */
export class OriginNotAllowedError extends AppError {
  readonly code = 'origin_not_allowed';
  constructor(
    readonly partnerId: string,
    readonly origin: string,
  ) {
    super(`This key may not be used from ${origin}.`);
  }
}

/** A client, or a partner's key, has used its allowance of searches for now. */
export class RateLimitedError extends AppError {
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** An environment variable is missing or malformed. */
export class ConfigError extends AppError {
  readonly code = 'invalid_config';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

/**
 * A process cannot start where its configuration says (a data directory it cannot write, a port in
 * use, an address not of this machine): `variable` names the setting to change, and the message
 * says what is wrong in words an operator can act on, without a stack trace.
 */
export class StartupError extends AppError {
  readonly code = 'startup_failed';
  constructor(
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Meilisearch could not be started or reached. */
export class SearchEngineUnavailableError extends AppError {
  readonly code = 'search_engine_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A Meilisearch task ended in `failed` or `canceled`: the documents it carried are not indexed. */
export class IndexTaskFailedError extends AppError {
  readonly code = 'index_task_failed';
  constructor(
    readonly taskUid: number,
    readonly status: string,
    readonly detail: unknown,
  ) {
    super(`Meilisearch task ${taskUid} ended ${status}: ${JSON.stringify(detail)}`, { cause: { taskUid } });
  }
}

/** A requested entity does not exist (a document, a source). */
export class NotFoundError extends AppError {
  readonly code = 'not_found';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`No ${entity} with id '${id}'`);
  }
}

/** Request parameters that passed the schema but name things that do not exist (a source, a theme…). */
export class InvalidParametersError extends AppError {
  readonly code = 'invalid_parameters';
  constructor(readonly details: { parameter: string; message: string }[]) {
    super(`Invalid parameter(s): ${[...new Set(details.map((detail) => detail.parameter))].join(', ')}`);
  }
}

/** A request to an admin route without a token, or with one that is not configured: 401. */
export class UnauthorizedError extends AppError {
  readonly code = 'unauthorized';
  constructor(
    readonly reason: 'missing' | 'invalid',
    /** What the token opens: the admin API, or /metrics (which takes an admin token too). */
    readonly realm: 'admin' | 'metrics' = 'admin',
  ) {
    super(
      reason === 'invalid'
        ? 'This token is not valid.'
        : realm === 'metrics'
          ? 'The metrics token or an admin token is required (Authorization: Bearer …).'
          : 'An admin token is required (Authorization: Bearer …).',
    );
  }
}

/** A valid admin token without the right the request needs: 403. */
export class ForbiddenError extends AppError {
  readonly code = 'forbidden';
  constructor(
    readonly tokenName: string,
    readonly needed: string,
  ) {
    super(`The token '${tokenName}' lacks the '${needed}' right this request needs.`);
  }
}

/** An action the current state does not allow (a source suspended, already enabled…): 409. */
export class ConflictError extends AppError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
