import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { watchIndexChanges } from '../api/index-change-watcher.ts';
import { SearchCache } from '../api/search-cache.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A loader that counts its calls and answers `value-<n>`. */
function countingLoader() {
  let calls = 0;
  const load = () => Promise.resolve(`value-${++calls}`);
  return { load, calls: () => calls };
}

describe('SearchCache', () => {
  it('answers from memory within the TTL', async () => {
    const clock = manualClock();
    const cache = new SearchCache({ ttlMs: 30_000, now: clock.now });
    const loader = countingLoader();
    expect(await cache.get('q=carte', loader.load)).toBe('value-1');
    clock.advance(29_999);
    expect(await cache.get('q=carte', loader.load)).toBe('value-1');
    expect(loader.calls()).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
  });

  it('loads again once the TTL has passed', async () => {
    const clock = manualClock();
    const cache = new SearchCache({ ttlMs: 30_000, now: clock.now });
    const loader = countingLoader();
    await cache.get('q=carte', loader.load);
    clock.advance(30_000);
    expect(await cache.get('q=carte', loader.load)).toBe('value-2');
    expect(loader.calls()).toBe(2);
  });

  it('drops the least recently used entry past maxEntries', async () => {
    const cache = new SearchCache({ maxEntries: 2 });
    const loader = countingLoader();
    await cache.get('a', loader.load); // value-1
    await cache.get('b', loader.load); // value-2
    await cache.get('a', loader.load); // hit: b is now the least recently used
    await cache.get('c', loader.load); // value-3, evicts b
    expect(cache.stats()).toMatchObject({ entries: 2, evictions: 1 });
    expect(await cache.get('a', loader.load)).toBe('value-1');
    expect(await cache.get('b', loader.load)).toBe('value-4');
  });

  it('drops the least recently used entries past maxBytes, and never keeps a value larger than all', async () => {
    const cache = new SearchCache({ maxBytes: 100, sizeOf: (value) => String(value).length });
    await cache.get('a', () => Promise.resolve('x'.repeat(40))); // 41 bytes with its key
    await cache.get('b', () => Promise.resolve('y'.repeat(40))); // 82
    await cache.get('c', () => Promise.resolve('z'.repeat(40))); // 123 > 100: a goes
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 82, evictions: 1 });
    expect(await cache.get('huge', () => Promise.resolve('h'.repeat(500)))).toHaveLength(500);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 82 });
  });

  it('shares one load between concurrent identical misses', async () => {
    const cache = new SearchCache();
    let calls = 0;
    let release!: (value: string) => void;
    const load = () => {
      calls++;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const answers = Array.from({ length: 10 }, () => cache.get('q=passeport', load));
    release('result');
    expect(await Promise.all(answers)).toEqual(Array(10).fill('result'));
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ misses: 1, coalesced: 9 });
  });

  it('never keeps a failure: every waiter gets the error, the next call loads again', async () => {
    const cache = new SearchCache();
    let calls = 0;
    const failing = async () => {
      calls++;
      await Promise.resolve();
      throw new Error('Meilisearch unavailable');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => cache.get('q', failing)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(calls).toBe(1);
    const throwsAtOnce = () => {
      throw new Error('synchronous');
    };
    await expect(cache.get('q', throwsAtOnce)).rejects.toThrow('synchronous');
    expect(await cache.get('q', () => Promise.resolve('recovered'))).toBe('recovered');
    expect(cache.stats().entries).toBe(1);
  });

  it('forgets everything on invalidate(), including a load that was running', async () => {
    const cache = new SearchCache();
    const loader = countingLoader();
    await cache.get('a', loader.load);
    let release!: (value: string) => void;
    const running = cache.get('b', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate();
    release('from before the invalidation');
    expect(await running).toBe('from before the invalidation');
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
    expect(await cache.get('a', loader.load)).toBe('value-2');
    expect(await cache.get('b', () => Promise.resolve('fresh'))).toBe('fresh');
  });
});

describe('watchIndexChanges on the real Meilisearch', () => {
  const client = testMeiliClient();
  const indexUid = uniqueIndexUid('watched');
  const otherUid = uniqueIndexUid('watched-other');

  afterAll(async () => {
    for (const uid of [indexUid, otherUid]) await awaitTask(client, client.deleteIndex(uid));
  });

  /** Resolves at the next onChange; fails the test if it does not come within `ms`. */
  function nextChange(changes: (() => void)[], ms = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no change seen within ${ms} ms`)), ms);
      changes.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  it('fires after documents are added, after a reindex swap, not for other indexes', async () => {
    await awaitTask(client, client.index(indexUid).addDocuments([{ id: 'a', title: 'Carte grise' }]));
    const waiting: (() => void)[] = [];
    let changes = 0;
    const errors: unknown[] = [];
    const stop = watchIndexChanges({
      client,
      indexUid,
      intervalMs: 50,
      onChange: () => {
        changes++;
        waiting.shift()?.();
      },
      onError: (error) => errors.push(error),
    });
    try {
      // The first look only records the current state: give it a few rounds to (not) fire.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toBe(0);

      const added = nextChange(waiting);
      await awaitTask(client, client.index(indexUid).addDocuments([{ id: 'b', title: 'Passeport' }]));
      await added;
      expect(changes).toBe(1);

      await awaitTask(client, client.index(otherUid).addDocuments([{ id: 'z', title: 'Autre' }]));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(changes).toBe(1);

      // What indexer/reindex.ts does at the end of a full rebuild.
      const swapped = nextChange(waiting);
      await awaitTask(client, client.swapIndexes([{ indexes: [indexUid, otherUid], rename: false }]));
      await swapped;
      expect(changes).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      await stop();
    }
  });

  it('keeps watching through failed looks and stops cleanly', async () => {
    const errors: unknown[] = [];
    const stop = watchIndexChanges({
      client: createMeiliClient(`http://127.0.0.1:${await closedPort()}`, 'key'),
      indexUid,
      intervalMs: 20,
      onChange: () => {},
      onError: (error) => errors.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await stop();
    const seen = errors.length;
    expect(seen).toBeGreaterThan(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(errors).toHaveLength(seen);
  });
});

/** A port that was free a moment ago and has nothing listening on it now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
