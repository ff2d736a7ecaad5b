/** An error of node:util's parseArgs (an unknown option, a missing value): a usage error, exit 2. */
export function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
