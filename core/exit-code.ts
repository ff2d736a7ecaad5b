import { AppError, ConfigError, SourcesFileError, StartupError } from './errors.ts';
import { isParseArgsError } from './parse-args-error.ts';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * What a command-line process's `main.ts` does with an error that ended it: prints its message (the
 * usage too, for bad arguments) and returns the exit code. Bad arguments, configuration or sources
 * file: 2, nothing was done; any other expected error: 1; `codes` come first (a busy store: 4). A
 * bug is thrown again, with its stack.
 */
export function exitCodeOf(
  error: unknown,
  usage: string,
  codes: readonly (readonly [ErrorClass, number])[] = [],
): number {
  if (isParseArgsError(error)) {
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
  const special = codes.find(([type]) => error instanceof type);
  if (special) {
    console.error((error as Error).message);
    return special[1];
  }
  if (error instanceof SourcesFileError || error instanceof ConfigError || error instanceof StartupError) {
    console.error(error.message);
    return 2;
  }
  if (error instanceof AppError) {
    console.error(error.message);
    return 1;
  }
  throw error;
}
