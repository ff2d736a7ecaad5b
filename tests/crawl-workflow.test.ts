import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { htmlResponse, textResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { runEntryPoint } from './support/run-command.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

/**
 * `npm run crawl` as an operator runs it, one command after another on the same DATA_DIR and index:
 * a whitelist, a crawl of one source, a file of one's own, two writers at once.
 */
const client = testMeiliClient();
let fiches: ServedSite;
let autre: ServedSite;

const entry = (id: string, site: ServedSite) => ({
  id,
  name: id,
  kind: 'etat',
  url: `${site.origin}/`,
  territory: 'national',
  crawl: { requestsPerSecond: 50 },
});

beforeAll(async () => {
  fiches = await serveSite(buildFicheSite({ count: 12 }));
  autre = await serveSite(
    new Map([
      ['/', htmlResponse('<html lang="fr"><h1>Autre source</h1><p>Un texte de la source autre.</p></html>')],
    ]),
  );
});
afterAll(async () => {
  await Promise.all([fiches.close(), autre.close()]);
});

async function anOperator() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-workflow-'));
  const indexUid = uniqueIndexUid('workflow');
  const whitelist = await writeTempSourcesFile([entry('fiches', fiches), entry('autre', autre)]);
  const env = {
    MEILI_URL: inject('meiliUrl'),
    MEILI_MASTER_KEY: inject('meiliKey'),
    MEILI_INDEX: indexUid,
    DATA_DIR: dataDir,
    SOURCES_FILE: whitelist,
    CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const storeFile = path.join(dataDir, 'crawl', 'crawl.sqlite');
  return {
    env,
    crawl: (...args: string[]) => runEntryPoint('workflow/crawl-main.ts', args, env),
    documentsOf: async (sourceId: string) =>
      (await client.index(indexUid).search('', { filter: `source.id = "${sourceId}"` })).estimatedTotalHits,
    /** What a sync that was killed before Meilisearch confirmed leaves behind: pending documents. */
    leavePending: (sourceId: string) => {
      const db = new Database(storeFile);
      db.prepare('UPDATE documents SET pending = 1 WHERE source_id = ?').run(sourceId);
      db.close();
    },
    pendingOf: (sourceId: string) => {
      const db = new Database(storeFile, { readonly: true });
      const count = db
        .prepare('SELECT count(*) FROM documents WHERE source_id = ? AND pending = 1')
        .pluck()
        .get(sourceId) as number;
      db.close();
      return count;
    },
  };
}

describe('crawling some sources only', () => {
  it("indexes, and never deletes, the other sources' pending documents", async () => {
    const operator = await anOperator();
    expect((await operator.crawl()).exitCode).toBe(0);
    expect(await operator.documentsOf('autre')).toBe(1);
    operator.leavePending('autre');

    const result = await operator.crawl('--source', 'fiches');

    expect(result.exitCode).toBe(0);
    expect(await operator.documentsOf('autre')).toBe(1);
    expect(operator.pendingOf('autre')).toBe(0);
  });
});

describe('sources leaving the whitelist', () => {
  it('removes the documents of a source removed from SOURCES_FILE on the next full crawl', async () => {
    const operator = await anOperator();
    expect((await operator.crawl()).exitCode).toBe(0);
    const onlyFiches = await writeTempSourcesFile([entry('fiches', fiches)]);

    const result = await runEntryPoint('workflow/crawl-main.ts', [], {
      ...operator.env,
      SOURCES_FILE: onlyFiches,
    });

    expect(result.stdout).toContain('autre: no longer an enabled source, 1 documents removed');
    expect(await operator.documentsOf('autre')).toBe(0);
  });

  it("removes nothing when the crawl is given a file of one's own", async () => {
    const operator = await anOperator();
    expect((await operator.crawl()).exitCode).toBe(0);
    const mine = await writeTempSourcesFile([entry('fiches', fiches)]);

    const result = await operator.crawl('--sources', mine);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Not retiring autre');
    expect(await operator.documentsOf('autre')).toBe(1);
    expect(await operator.documentsOf('fiches')).toBeGreaterThan(0);
  });
});

describe('the end of a crawl', () => {
  it('exits 3, naming the source, when a source could not be crawled, after one total line', async () => {
    const down = await serveSite(new Map([['/robots.txt', textResponse('maintenance', 503)]]));
    try {
      const operator = await anOperator();
      const file = await writeTempSourcesFile([entry('fiches', fiches), entry('en-panne', down)]);

      const result = await runEntryPoint('workflow/crawl-main.ts', [], {
        ...operator.env,
        SOURCES_FILE: file,
      });

      expect(result.exitCode).toBe(3);
      const lastLine = result.stdout.trim().split('\n').at(-1);
      expect(lastLine).toMatch(/^Total: 2 sources, \d+ new/);
      expect(lastLine).toContain('1 need attention (en-panne): 1 incomplete');
    } finally {
      await down.close();
    }
  });

  it('exits 0 with "all complete" when every source was crawled', async () => {
    const operator = await anOperator();
    const result = await operator.crawl();
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^Total: 2 sources, .*; all complete$/);
  });
});

describe('a DATA_DIR that cannot be used', () => {
  it.each([
    ['a file', 'file'],
    ['under /proc', '/proc/nope'],
  ])('stops the crawl with a message naming DATA_DIR when it is %s', async (_label, kind) => {
    const operator = await anOperator();
    const dataDir = kind === 'file' ? operator.env.SOURCES_FILE : kind;
    const result = await runEntryPoint('workflow/crawl-main.ts', [], { ...operator.env, DATA_DIR: dataDir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`DATA_DIR ${dataDir} cannot be used`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('two writers at once', () => {
  /** A crawl of a slow site (a request every 2 s, 300 ms each), started and under way. */
  async function aCrawlUnderWay() {
    const slow = await serveSite(buildFicheSite({ count: 6 }), { latencyMs: 300 });
    const operator = await anOperator();
    const file = await writeTempSourcesFile([{ ...entry('lent', slow), crawl: { requestsPerSecond: 0.5 } }]);
    const env = { ...operator.env, SOURCES_FILE: file };
    const first = startEntryPoint('workflow/crawl-main.ts', [], env);
    await waitFor(() => slow.requests.length > 0);
    return { slow, operator, env, first };
  }

  it('lets the second crawl, rebuild or confirmation exit with a message naming the first, and the first finish', async () => {
    const { slow, operator, env, first } = await aCrawlUnderWay();
    try {
      const [secondCrawl, rebuild, confirm] = await Promise.all([
        runEntryPoint('workflow/crawl-main.ts', [], env),
        runEntryPoint('indexer/reindex-main.ts', [], env),
        runEntryPoint('workflow/crawl-main.ts', ['--confirm-deletions', 'lent'], env),
      ]);
      expect(first.child.exitCode).toBeNull();

      for (const refused of [secondCrawl, rebuild, confirm]) {
        expect(refused.exitCode).toBe(4);
        expect(refused.stderr).toMatch(
          /Another process is writing to the crawl store: npm run crawl \(pid \d+/,
        );
      }
      const firstExit = await first.exited;
      expect(firstExit.exitCode).toBe(0);
      const indexedByFirst = Number(/lent: (\d+) new/.exec(firstExit.stdout)?.[1]);
      expect(indexedByFirst).toBeGreaterThan(4);
      expect(await operator.documentsOf('lent')).toBe(indexedByFirst);
      // Once the first is done, the next writer may go.
      expect((await runEntryPoint('indexer/reindex-main.ts', [], env)).exitCode).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('lets a crawl given --wait wait for the one writing, then crawl', async () => {
    const { slow, env, first } = await aCrawlUnderWay();
    try {
      const waiting = runEntryPoint('workflow/crawl-main.ts', ['--wait'], env);
      const firstExit = await first.exited;
      const requestsOfFirst = slow.requests.length;
      const second = await waiting;

      expect(firstExit.exitCode).toBe(0);
      expect(second.stderr).toMatch(/Waiting for npm run crawl \(pid \d+\) to finish writing to the store/);
      expect(second.exitCode).toBe(0);
      // It crawled once the first was done: a recrawl, asking again (conditionally) for what was fetched.
      expect(slow.requests.length).toBeGreaterThan(requestsOfFirst);
      expect(second.stdout).toMatch(/^lent: 0 new, 0 changed, \d+ unchanged/m);
    } finally {
      await slow.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 30_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
