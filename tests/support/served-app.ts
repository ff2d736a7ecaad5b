import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** The app on a real socket of 127.0.0.1 (a free port), as a browser reaches it. */
export async function serveApp(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<{
  origin: string;
  close(): Promise<void>;
}> {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
