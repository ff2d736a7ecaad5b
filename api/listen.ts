import type { ServerType } from '@hono/node-server';
import { StartupError } from '../core/errors.ts';

/**
 * Starts `server` listening on `host`:`port` and resolves with the port it got (PORT=0: a free
 * one). A listen error (the port taken, an address not of this machine, a name that does not
 * resolve) rejects with a message naming PORT or HOST, instead of crashing the process with an
 * unhandled 'error' event and a stack trace, which also left the embedded Meilisearch running.
 */
export function listen(server: ServerType, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(explain(error, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function explain(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const options = { cause: error };
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        'PORT',
        `PORT ${port} is already in use on ${host}: stop what listens there, or set PORT to a free port.`,
        options,
      );
    case 'EACCES':
      return new StartupError(
        'PORT',
        `PORT ${port} needs privileges this process does not have: set PORT to 1024 or above.`,
        options,
      );
    case 'EADDRNOTAVAIL':
      return new StartupError(
        'HOST',
        `HOST ${host} is not an address of this machine: set HOST to one of its addresses (127.0.0.1, or 0.0.0.0 for all).`,
        options,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StartupError(
        'HOST',
        `HOST ${host} does not resolve to an address: set HOST to an address of this machine (127.0.0.1, or 0.0.0.0 for all).`,
        options,
      );
    default:
      return error;
  }
}
