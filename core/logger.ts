import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * JSON lines on stderr, so stdout stays free for reports and the CLI's own output. A test that
 * reads the lines passes a destination of its own.
 */
export function createLogger(
  level: LogLevel,
  name = 'public-action-search',
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino({ name, level }, destination);
}

/** A logger that writes nothing: for tests that do not assert on logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
