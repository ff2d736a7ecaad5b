import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKey } from '../api/rate-limit.ts';
import { RateLimiter } from '../api/rate-limiter.ts';
import { indexDocuments } from '../indexer/index-documents.ts';
import { ensureIndex } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

describe('the rate limiter', () => {
  const clock = (start = 0) => {
    let now = start;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("lets a client make its minute's allowance, then says how long to wait", () => {
    const limiter = new RateLimiter({ perMinute: 3, now: clock().now });
    expect([1, 2, 3].map(() => limiter.take('203.0.113.7').allowed)).toEqual([true, true, true]);
    // One search comes back every 20 s at 3 a minute.
    expect(limiter.take('203.0.113.7')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 20 });
  });

  it('gives the allowance back as time passes, never more than a minute of it', () => {
    const time = clock();
    const limiter = new RateLimiter({ perMinute: 60, now: time.now });
    expect(limiter.take('a', 60).allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    time.advance(1_000);
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    time.advance(3_600_000);
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 59 });
  });

  it('charges a dear request its cost, and a refused one nothing', () => {
    const limiter = new RateLimiter({ perMinute: 10, now: clock().now });
    expect(limiter.take('a', 7)).toMatchObject({ allowed: true, remaining: 3 });
    expect(limiter.take('a', 7)).toMatchObject({ allowed: false, retryAfterSeconds: 24 });
    expect(limiter.take('a', 3)).toMatchObject({ allowed: true, remaining: 0 });
    // Dearer than a full bucket: it costs a full bucket instead of never passing.
    expect(new RateLimiter({ perMinute: 5 }).take('b', 50).allowed).toBe(true);
  });

  it('keeps clients apart', () => {
    const limiter = new RateLimiter({ perMinute: 1, now: clock().now });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('forgets the least recently seen clients past its memory bound', () => {
    const limiter = new RateLimiter({ perMinute: 1, now: clock().now, maxClients: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.size).toBe(2);
    // 'a' was remembered (its minute is used up); 'b' was forgotten and comes back with a full bucket.
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('counts an IPv6 client by its /64 and a mapped IPv4 client by its IPv4 address', () => {
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8:0001:0002:ffff::')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new RateLimiter({ perMinute: 0 })).toThrow(/perMinute/);
  });
});

describe('the API under a rate limit', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('rate-limit');
  const servers: ServerType[] = [];

  /** The real app on a real socket (the client's address comes from the connection). */
  async function serveApp(perMinute: number, trustProxy = false): Promise<string> {
    const app = await anApp(client, indexUid, {
      // A frozen clock: nothing is given back between requests, however slow the machine.
      rateLimiter: new RateLimiter({ perMinute, now: () => 0 }),
      trustProxy,
    });
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      servers.push(server);
    });
  }

  beforeAll(async () => {
    const resources = await loadIndexerResources();
    await ensureIndex(client, indexUid, resources.settings);
    await indexDocuments(client, indexUid, [aSearchDocument()]);
  });

  afterAll(async () => {
    await Promise.all(
      servers.map((server) => {
        const closed = new Promise((resolve) => server.close(resolve));
        // fetch keeps its connections alive: without this, close waits for them to time out.
        (server as Server).closeAllConnections();
        return closed;
      }),
    );
  });

  it('answers 429 with Retry-After and a JSON error once a client has used its allowance', async () => {
    const base = await serveApp(2);
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await fetch(`${base}/v1/search?q=vélo`)).status);
    expect(statuses).toEqual([200, 200]);
    const refused = await fetch(`${base}/v1/search?q=vélo`, {
      headers: { Origin: 'https://partner.example' },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(30);
    // A partner widget's script can read the refusal.
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(refused.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('2 searches a minute') as unknown },
    });
    // Every /v1 route counts; health checks do not.
    expect((await fetch(`${base}/v1/sources`)).status).toBe(429);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('charges a long question the searches it costs Meilisearch', async () => {
    // Five words: the question and each of its five variants, six searches (query-variants.ts).
    const question = encodeURIComponent('que faire si mon vélo électrique est volé dans la rue à Frontignan');
    const base = await serveApp(6);
    expect((await fetch(`${base}/v1/search?q=${question}`)).status).toBe(200);
    expect((await fetch(`${base}/v1/search?q=vélo`)).status).toBe(429);

    // In date order the same question is one search.
    const other = await serveApp(6);
    expect((await fetch(`${other}/v1/search?q=${question}&sort=date`)).status).toBe(200);
    expect((await fetch(`${other}/v1/search?q=vélo`)).status).toBe(200);
  });

  it('tells clients apart by X-Forwarded-For only behind a trusted proxy', async () => {
    const as = (base: string, address: string) =>
      fetch(`${base}/v1/search?q=vélo`, { headers: { 'X-Forwarded-For': `198.51.100.1, ${address}` } });
    const proxied = await serveApp(1, true);
    expect((await as(proxied, '203.0.113.1')).status).toBe(200);
    expect((await as(proxied, '203.0.113.1')).status).toBe(429);
    expect((await as(proxied, '203.0.113.2')).status).toBe(200);

    // Reached directly, a client cannot pass for another by writing the header.
    const direct = await serveApp(1);
    expect((await as(direct, '203.0.113.1')).status).toBe(200);
    expect((await as(direct, '203.0.113.2')).status).toBe(429);
  });
});
