import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CrawlStore } from '../store/crawl-store.ts';
import { StoreBusyError } from '../store/writer-lock.ts';

const opened: CrawlStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** Two connections to one store file: what two processes (a worker, an operator's crawl) hold. */
async function twoConnections(): Promise<[CrawlStore, CrawlStore]> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'pas-leases-')), 'crawl.sqlite');
  const pair: [CrawlStore, CrawlStore] = [CrawlStore.open(file), CrawlStore.open(file)];
  opened.push(...pair);
  return pair;
}

describe("crawl workers' leases on the store", () => {
  it('let two workers crawl two different sources at once, but never one source twice', async () => {
    const [first, second] = await twoConnections();
    first.leaseSource('bessan', 'npm run worker (a): crawl of bessan');
    expect(() => second.leaseSource('florensac', 'npm run worker (b): crawl of florensac')).not.toThrow();
    expect(() => second.leaseSource('bessan', 'npm run worker (b): crawl of bessan')).toThrow(
      /npm run worker \(a\): crawl of bessan/,
    );
  });

  it('refuse the one-writer lock while a worker crawls, naming the worker, and give it once the lease is released', async () => {
    const [worker, operator] = await twoConnections();
    const lease = worker.leaseSource('bessan', 'npm run worker (a): crawl of bessan');
    expect(() => operator.lockForWriting('npm run crawl')).toThrow(StoreBusyError);
    expect(operator.writer()?.command).toBe('npm run worker (a): crawl of bessan');
    lease.release();
    const release = operator.lockForWriting('npm run crawl');
    expect(() => worker.leaseSource('bessan', 'npm run worker (a): crawl of bessan')).toThrow(
      /npm run crawl/,
    );
    release();
  });

  it('wait for no worker that died: a lease not renewed lapses', async () => {
    const [dead, alive] = await twoConnections();
    const lease = dead.leaseSource('bessan', 'npm run worker (a): crawl of bessan');
    // The worker renewed it last two minutes ago, then was killed: its lease ran out a minute ago.
    lease.renew(new Date(Date.now() - 120_000));
    expect(alive.writer()).toBeUndefined();
    expect(() => alive.lockForWriting('npm run reindex')()).not.toThrow();
  });

  it('give index syncs one at a time, in turn', async () => {
    const [first, second] = await twoConnections();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstSync = first.inIndexSyncTurn('worker a: index sync', async () => {
      order.push('a starts');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      order.push('a ends');
    });
    const secondSync = second.inIndexSyncTurn('worker b: index sync', () => {
      order.push('b starts');
      return Promise.resolve();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    releaseFirst();
    await Promise.all([firstSync, secondSync]);
    expect(order).toEqual(['a starts', 'a ends', 'b starts']);
  });
});
