import type { Server } from 'node:http';
import type { Logger } from '../core/logger.ts';

/** How often idle connections are closed while the requests in flight finish. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops an HTTP server the way an orchestrator's SIGTERM asks: no new connection is accepted, the
 * requests in flight finish and get their answers, and only after `graceMs` are the connections
 * still open closed (a client that never reads its answer must not hold the shutdown forever).
 *
 * `server.close()` alone waits for every keep-alive connection to time out (5 s each in Node), even
 * idle ones that a request just finished on: so idle connections are closed as they become idle.
 * A client reusing one gets a closed connection, as after any keep-alive timeout, and connects anew
 * to another instance.
 */
export function closeGracefully(
  server: Server,
  { graceMs, log }: { graceMs: number; log: Logger },
): Promise<void> {
  return new Promise<void>((resolve) => {
    const started = performance.now();
    const sweeping = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const forcing = setTimeout(() => {
      clearInterval(sweeping);
      log.warn({ graceMs }, 'requests still in flight after the grace period: closing their connections');
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(sweeping);
      clearTimeout(forcing);
      log.info(
        { ms: Math.round(performance.now() - started) },
        'every request in flight was answered; server closed',
      );
      resolve();
    });
    server.closeIdleConnections();
    log.info({ graceMs }, 'refusing new connections; finishing the requests in flight');
  });
}
