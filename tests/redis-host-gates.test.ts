import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.ts';
import { RedisHostGates } from '../crawler/politeness/redis-host-gates.ts';
import { useTestRedis } from './support/redis-server.ts';

const testRedis = useTestRedis();
/** Two crawl workers' gates: two Redis connections, as two processes would hold. */
const connections: Redis[] = [];
const log = createLogger('silent', 'test');

// Registered after the server's hooks, so run before its stop (after-hooks run last first).
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.quit()));
});

function workerGates(options: { rate?: number; concurrency?: number; prefix: string }): RedisHostGates {
  const redis = new Redis(testRedis().url, { maxRetriesPerRequest: null });
  connections.push(redis);
  return new RedisHostGates({
    redis,
    requestsPerSecond: () => options.rate ?? 0,
    maxConcurrency: () => options.concurrency ?? 16,
    maxCrawlDelaySeconds: 30,
    keyPrefix: options.prefix,
    log,
  });
}

const host = new URL('http://mairie.example/');

describe('host politeness shared by crawl workers through Redis', () => {
  it('spaces the requests two workers make to one host as if one crawler made them all', async () => {
    const first = workerGates({ rate: 5, prefix: 'rate' });
    const second = workerGates({ rate: 5, prefix: 'rate' });
    const starts: number[] = [];
    const take = async (gates: RedisHostGates) => {
      for (let n = 0; n < 4; n++) {
        await gates.turn(host);
        starts.push(Date.now());
      }
    };
    await Promise.all([take(first), take(second)]);
    starts.sort((a, b) => a - b);
    const gaps = starts.slice(1).map((at, n) => at - starts[n]!);
    // 5 requests a second: 200 ms between any two starts, whichever worker made them.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190);
  });

  it('applies the Crawl-delay a worker read in robots.txt to its own turns', async () => {
    const gates = workerGates({ rate: 50, prefix: 'delay' });
    expect(gates.applyCrawlDelay(host, 0.5)).toBe(0.5);
    await gates.turn(host);
    const before = Date.now();
    await gates.turn(host);
    expect(Date.now() - before).toBeGreaterThanOrEqual(480);
  });

  it('never lets more requests be in flight to a host than its concurrency, over all workers', async () => {
    const workers = [1, 2, 3].map(() => workerGates({ concurrency: 2, prefix: 'slots' }));
    let inFlight = 0;
    let most = 0;
    const request = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await sleep(40);
      inFlight--;
    };
    await Promise.all(workers.flatMap((gates) => [1, 2, 3, 4].map(() => gates.withSlot(host, request))));
    expect(most).toBe(2);
  });

  it('makes every worker wait out a Retry-After another worker was given', async () => {
    const told = workerGates({ prefix: 'backoff' });
    const other = workerGates({ prefix: 'backoff' });
    const toldAt = Date.now();
    told.of(host).backOff(800);
    // The other worker asks a moment later, as its own request comes up.
    await sleep(100);
    await other.turn(host);
    expect(Date.now() - toldAt).toBeGreaterThanOrEqual(780);
  });
});
