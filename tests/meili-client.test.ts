import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import {
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
} from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { isTransient } from '../indexer/meili-retry.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const client = createMeiliClient(inject('meiliUrl'), inject('meiliKey'));
const indexUid = uniqueIndexUid('meili-client');

beforeAll(async () => {
  await awaitTask(
    client,
    client.index(indexUid).addDocuments(
      [
        { id: 'a', title: 'Carte grise : changement d’adresse' },
        { id: 'b', title: 'Passeport pour un enfant mineur' },
      ],
      { primaryKey: 'id' },
    ),
  );
});

afterAll(async () => {
  await awaitTask(client, client.deleteIndex(indexUid));
});

describe('createMeiliClient against the real Meilisearch', () => {
  it('searches', async () => {
    const result = await client.index(indexUid).search('carte grise');
    expect(result.hits.map((hit) => String(hit['id']))).toEqual(['a']);
  });

  it('awaits a task, with awaitTask and with the waitTask() of the enqueued promise', async () => {
    const task = await awaitTask(client, client.index(indexUid).addDocuments([{ id: 'c', title: 'Permis' }]));
    expect(task.status).toBe('succeeded');
    const waited = await client.index(indexUid).deleteDocument('c').waitTask();
    expect(waited.status).toBe('succeeded');
    expect((await client.index(indexUid).getStats()).numberOfDocuments).toBe(2);
  });

  it('throws MeilisearchApiError with the code for an unknown index, wherever it is reached from', async () => {
    const missing = uniqueIndexUid('missing');
    for (const call of [
      () => client.index(missing).search('x'),
      () => client.index(missing).getStats(),
      () => client.getIndex(missing),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MeilisearchApiError);
      expect((error as MeilisearchApiError).cause?.code).toBe('index_not_found');
      expect((error as MeilisearchApiError).response.status).toBe(404);
      expect(isTransient(error)).toBe(false);
    }
  });

  it('throws MeilisearchApiError task_not_found for a task that does not exist (retried by the indexer)', async () => {
    const error = await client.tasks.getTask(987_654_321).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MeilisearchApiError);
    expect((error as MeilisearchApiError).cause?.code).toBe('task_not_found');
    expect(isTransient(error)).toBe(true);
  });

  it('keeps API errors on indexes listed by getIndexes()', async () => {
    const { results } = await client.getIndexes({ limit: 1000 });
    const index = results.find((candidate) => candidate.uid === indexUid);
    expect(index).toBeDefined();
    // `title` is not filterable in this index: Meilisearch refuses the filter.
    const error = await index!.search('x', { filter: 'title = x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MeilisearchApiError);
    expect((error as MeilisearchApiError).cause?.code).toBe('invalid_search_filter');
  });
});

describe('createMeiliClient when Meilisearch is not answering', () => {
  it('throws MeilisearchRequestError when nothing listens on the port', async () => {
    const port = await closedPort();
    const down = createMeiliClient(`http://127.0.0.1:${port}`, 'key');
    const error = await down
      .index('documents')
      .search('x')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MeilisearchRequestError);
    expect(error).not.toBeInstanceOf(MeilisearchApiError);
    expect(isTransient(error)).toBe(true);
  });

  it('gives up after timeoutMs when Meilisearch accepts the connection but never answers', async () => {
    const hung = await hungServer();
    try {
      const impatient = createMeiliClient(hung.url, 'key', { timeoutMs: 500 });
      const started = performance.now();
      const error = await impatient
        .index('documents')
        .search('x')
        .catch((caught: unknown) => caught);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(MeilisearchRequestError);
      expect((error as MeilisearchRequestError).cause).toBeInstanceOf(MeilisearchRequestTimeOutError);
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await hung.close();
    }
  });

  it('still reports a task wait that runs out as MeilisearchTaskTimeOutError', async () => {
    const hung = await hungServer();
    try {
      const patient = createMeiliClient(hung.url, 'key');
      const error = await patient.tasks.waitForTask(1, { timeout: 300 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MeilisearchTaskTimeOutError);
    } finally {
      await hung.close();
    }
  });
});

describe('createMeiliClient connections', () => {
  it('reuses keep-alive connections instead of opening one per request', async () => {
    let connections = 0;
    const server: HttpServer = createHttpServer((_request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end('{"status":"available"}');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const viaPool = createMeiliClient(`http://127.0.0.1:${port}`, 'key');
      for (let n = 0; n < 20; n++) expect(await viaPool.health()).toEqual({ status: 'available' });
      // The pool may open a second socket while the first one is finishing a response; never 20.
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createMeiliClient task waits', () => {
  it('polls a long task without a listener-leak warning', async () => {
    let polls = 0;
    const server: HttpServer = createHttpServer((_request, response) => {
      polls++;
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ uid: 1, status: polls < 30 ? 'processing' : 'succeeded' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const task = await createMeiliClient(`http://127.0.0.1:${port}`, 'key').tasks.waitForTask(1, {
        timeout: 10_000,
        interval: 1,
      });
      expect(task.status).toBe('succeeded');
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** A TCP server that accepts connections and never writes a byte: a hung Meilisearch. */
async function hungServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
