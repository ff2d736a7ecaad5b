import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  route?: string;
  path?: string;
  status?: number;
  [key: string]: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request ids', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('request-id');

  beforeAll(async () => {
    const resources = await loadIndexerResources();
    await ensureIndex(client, indexUid, resources.settings);
    await indexDocuments(client, indexUid, [aSearchDocument()]);
  });

  /** The API with its JSON log lines kept, as an operator's log collector reads them. */
  async function anAppLogging(meili = client) {
    const lines: LogLine[] = [];
    const log = createLogger('debug', 'api', {
      write: (line: string) => lines.push(JSON.parse(line) as LogLine),
    });
    const app = await anApp(meili, indexUid, { log });
    return { app, lines };
  }

  it("echoes a load balancer's X-Request-Id and logs the request under it", async () => {
    const { app, lines } = await anAppLogging();

    const response = await app.request('/v1/search?q=vélo', { headers: { 'X-Request-Id': 'lb-4f2a9c_01=' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('lb-4f2a9c_01=');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request',
        route: '/v1/search',
        status: 200,
        requestId: 'lb-4f2a9c_01=',
      }),
    );
    expect(lines.every((line) => line.requestId === 'lb-4f2a9c_01=')).toBe(true);
  });

  it('gives a request without an id one of its own, and says which in the response', async () => {
    const { app, lines } = await anAppLogging();

    const response = await app.request('/v1/search?q=vélo');

    const id = response.headers.get('x-request-id');
    expect(id).toMatch(UUID);
    expect(lines.map((line) => line.requestId)).toEqual([id]);
  });

  it('replaces an id that could forge log lines or is too long with one of its own', async () => {
    const { app, lines } = await anAppLogging();
    const unsafe = ['a"}{"level":60', 'two words', '<script>', '../../etc', 'x'.repeat(65)];

    const given = [];
    for (const id of unsafe) {
      const response = await app.request('/healthz', { headers: { 'X-Request-Id': id } });
      given.push(response.headers.get('x-request-id'));
    }

    for (const id of given) expect(id).toMatch(UUID);
    expect(new Set(given).size).toBe(unsafe.length);
    expect(lines.map((line) => line.requestId)).toEqual(given);
  });

  it('logs a failed request with its error under the same id as its request line', async () => {
    // A Meilisearch that is not there: the search fails with 503, an error worth an operator's look.
    const { app, lines } = await anAppLogging(createMeiliClient('http://127.0.0.1:9', 'none'));

    const response = await app.request('/v1/search?q=vélo', { headers: { 'X-Request-Id': 'trace-503' } });

    expect(response.status).toBe(503);
    expect(response.headers.get('x-request-id')).toBe('trace-503');
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'request failed',
        requestId: 'trace-503',
        err: expect.anything() as unknown,
      }),
      expect.objectContaining({ msg: 'request', requestId: 'trace-503', status: 503 }),
    ]);
  });

  it('keeps the lines of requests answered at the same time apart, each under its own id', async () => {
    const { app, lines } = await anAppLogging();

    const ids = ['first-request', 'second-request', 'third-request'];
    const responses = await Promise.all(
      ids.map(async (id) => app.request('/v1/search?q=vélo', { headers: { 'X-Request-Id': id } })),
    );

    expect(responses.map((response) => response.headers.get('x-request-id'))).toEqual(ids);
    expect(lines.map((line) => line.requestId).sort()).toEqual([...ids].sort());
  });

  it('logs the route a request matched, not its path, and none for a path no route has', async () => {
    const { app, lines } = await anAppLogging();

    await app.request('/v1/documents/abc123');
    await app.request('/wp-login.php');

    expect(lines.map((line) => [line.route, line.path])).toEqual([
      ['/v1/documents/:id', '/v1/documents/abc123'],
      ['(unmatched)', '/wp-login.php'],
    ]);
  });
});
