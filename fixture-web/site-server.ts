import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { FixtureResponse, FixtureSite } from './fixture-route.ts';
import { notFoundResponse, textResponse } from './fixture-route.ts';
import { InFlightGauge } from './in-flight-gauge.ts';

/** One request as the server received it, in arrival order. */
export interface LoggedRequest {
  method: string;
  /** Path and query as requested. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Arrival time, milliseconds since the epoch. */
  at: number;
}

export interface ServeSiteOptions {
  /** Delay added before every response, to make a crawl behave like one over a real network. */
  latencyMs?: number;
}

export interface ServedSite {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly origin: string;
  /** The very map passed to serveSite, read on every request: add, replace or delete routes live. */
  readonly site: FixtureSite;
  /** Every request received so far (live array). */
  readonly requests: readonly LoggedRequest[];
  readonly inFlight: number;
  /** Most requests ever answered at the same time. */
  readonly maxInFlight: number;
  /** Same, per Host header value. */
  readonly maxInFlightByHost: ReadonlyMap<string, number>;
  url(path: string): string;
  /** Empties the request log and the attempt counters and forgets the in-flight maxima. */
  resetStats(): void;
  /** Stops listening and destroys open connections (keep-alive ones included); idempotent. */
  close(): Promise<void>;
}

class SiteServer implements ServedSite {
  readonly requests: LoggedRequest[] = [];
  readonly #gauge = new InFlightGauge();
  readonly #attempts = new Map<string, number>();
  #closing: Promise<void> | undefined;

  constructor(
    readonly origin: string,
    readonly site: FixtureSite,
    private readonly server: Server,
    private readonly options: ServeSiteOptions,
  ) {}

  get inFlight(): number {
    return this.#gauge.inFlight;
  }

  get maxInFlight(): number {
    return this.#gauge.max;
  }

  get maxInFlightByHost(): ReadonlyMap<string, number> {
    return this.#gauge.maxByHost;
  }

  url(path: string): string {
    return new URL(path, this.origin).href;
  }

  resetStats(): void {
    this.requests.length = 0;
    this.#attempts.clear();
    this.#gauge.resetMaxima();
  }

  /** Never rejects: a failing route becomes a 500, so the request listener has nothing to lose. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const host = request.headers.host ?? '';
    this.requests.push({ method, path, headers: request.headers, at: Date.now() });
    this.#gauge.enter(host);
    response.once('close', () => this.#gauge.leave(host));
    request.resume(); // request bodies are ignored, but must be drained for keep-alive to work
    let answer: FixtureResponse;
    try {
      if (this.options.latencyMs) await delay(this.options.latencyMs);
      answer = await this.#answer(method, path, request.headers);
    } catch (error) {
      answer = textResponse(
        `Fixture route failed: ${error instanceof Error ? error.message : String(error)}`,
        500,
      );
    }
    writeResponse(response, method, answer);
  }

  async #answer(method: string, path: string, headers: IncomingHttpHeaders): Promise<FixtureResponse> {
    const pathname = new URL(path, 'http://fixture.invalid').pathname;
    const route = this.site.get(path) ?? this.site.get(pathname);
    if (route === undefined) return notFoundResponse(path, headers.accept);
    if (typeof route !== 'function') return route;
    const attempt = (this.#attempts.get(pathname) ?? 0) + 1;
    this.#attempts.set(pathname, attempt);
    return await route({ method, path, headers, attempt });
  }

  async close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // close() alone waits for keep-alive sockets to time out; a test suite must not.
      this.server.closeAllConnections();
    });
    await this.#closing;
  }
}

function writeResponse(response: ServerResponse, method: string, answer: FixtureResponse): void {
  // The client may have given up (timeout, closed server) while a slow route was still computing.
  if (response.destroyed || response.headersSent) return;
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const bodyless = answer.status === 204 || answer.status === 304;
  const headers = { ...answer.headers };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (!hasLength && !bodyless) headers['content-length'] = String(body.length);
  response.writeHead(answer.status, headers);
  response.end(method === 'HEAD' || bodyless ? undefined : body);
}

/**
 * Serves a fixture site on 127.0.0.1 with a free port chosen by the OS, so tests can run in
 * parallel. Routes are looked up by exact path (query included), then by pathname; unknown paths get
 * a 404 (JSON when the client asks for JSON, HTML otherwise).
 */
export async function serveSite(site: FixtureSite, options: ServeSiteOptions = {}): Promise<ServedSite> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const served = new SiteServer(`http://127.0.0.1:${port}`, site, server, options);
  // node:http ignores what a listener returns; handle() settles every request itself and never rejects.
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void served.handle(request, response);
  });
  return served;
}
