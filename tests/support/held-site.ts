import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A site on 127.0.0.1 whose robots.txt is answered only when the test says so: a request of the
 * API that reads it (the admin's URL check) is slow exactly as long as the test wants, without
 * any timing. Its robots.txt allows everything; every other path is a 404.
 */
export async function aSiteSlowToAnswer() {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked = () => {};
  const robotsAsked = new Promise<void>((resolve) => (asked = resolve));

  const server = createServer((request, response) => {
    if (request.url !== '/robots.txt') {
      response.writeHead(404).end();
      return;
    }
    asked();
    void released.then(() =>
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end('User-agent: *\nAllow: /\n'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    /** Settles once robots.txt has been asked for (and is being held). */
    robotsAsked,
    /** Answers robots.txt, held or to come. */
    release,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
