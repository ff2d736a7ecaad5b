import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';

/** Query insights for curation: daily counts, and only queries that several clients made. */
let site: ServedSite;
let world: AdminWorld;

beforeAll(async () => {
  site = await serveSite(
    new Map([
      ['/', htmlResponse(aTownPage({ title: 'Cantine', paragraphs: ['La cantine sert des repas bio.'] }))],
    ]),
  );
  world = await anAdminWorld(`sources:\n${siteEntry('ville', site.origin)}`, { trustProxy: true });
  await world.crawl();
});
afterAll(async () => {
  await world.close();
  await site.close();
});

const searchFrom = (address: string, query: string, extra = '') =>
  world.call('GET', `/v1/search?q=${encodeURIComponent(query)}${extra}`, {
    headers: { 'X-Forwarded-For': address },
  });

async function insightsOf(day: string) {
  const { body } = await world.asBob('GET', `/v1/admin/insights?from=${day}&to=${day}`);
  return (
    body as {
      days: {
        day: string;
        searches: number;
        zeroResults: number;
        topQueries: unknown[];
        zeroResultQueries: unknown[];
      }[];
    }
  ).days[0];
}

describe('GET /v1/admin/insights', () => {
  it('shows a query only once three distinct clients made it that day, and counts every search in the totals', async () => {
    world.clock.now = new Date('2025-03-10T09:00:00Z');
    await searchFrom('203.0.113.1', 'Cantine');
    await searchFrom('203.0.113.1', 'cantine');
    await searchFrom('203.0.113.2', 'cantine ');
    await searchFrom('203.0.113.1', 'piscine olympique');
    await searchFrom('203.0.113.2', 'piscine olympique');
    await searchFrom('203.0.113.2', 'piscine olympique', '&page=2');

    expect(await insightsOf('2025-03-10')).toEqual({
      day: '2025-03-10',
      searches: 5,
      zeroResults: 2,
      topQueries: [],
      zeroResultQueries: [],
    });

    await searchFrom('198.51.100.7', 'CANTINE');
    await searchFrom('2001:db8::1', 'Piscine olympique');

    expect(await insightsOf('2025-03-10')).toMatchObject({
      searches: 7,
      zeroResults: 3,
      topQueries: [
        { query: 'cantine', searches: 4, zeroResults: 0 },
        { query: 'piscine olympique', searches: 3, zeroResults: 3 },
      ],
      zeroResultQueries: [{ query: 'piscine olympique', searches: 3, zeroResults: 3 }],
    });
  });

  it('does not add up clients across days: two yesterday and one today are not three', async () => {
    world.clock.now = new Date('2025-03-11T23:00:00Z');
    await searchFrom('203.0.113.1', 'médiathèque');
    await searchFrom('203.0.113.2', 'médiathèque');
    world.clock.now = new Date('2025-03-12T08:00:00Z');
    await searchFrom('203.0.113.3', 'médiathèque');

    expect((await insightsOf('2025-03-11'))?.topQueries).toEqual([]);
    expect((await insightsOf('2025-03-12'))?.topQueries).toEqual([]);
  });

  it('keeps no address in the store, hashed or not', async () => {
    const file = path.join(world.dataDir, 'crawl', 'crawl.sqlite');
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .all() as string[];
      const everything = tables
        .map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()))
        .join('\n');
      expect(everything).toContain('piscine olympique');
      for (const address of ['203.0.113', '198.51.100.7', '2001:db8'])
        expect(everything).not.toContain(address);
      expect(Object.keys(db.prepare('SELECT * FROM query_counts LIMIT 1').get() as object)).toEqual([
        'day',
        'query',
        'searches',
        'zero_results',
      ]);
    } finally {
      db.close();
    }
    expect(await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))).not.toContain(
      Buffer.from('203.0.113'),
    );
  });
});

describe('the audit log', () => {
  it('can be appended to, never rewritten nor deleted, even by hand in SQLite', async () => {
    await world.asAlice('POST', '/v1/admin/sources/ville/review');
    const db = new Database(path.join(world.dataDir, 'crawl', 'crawl.sqlite'));
    try {
      expect(() => db.prepare("UPDATE audit_log SET actor = 'mallory'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
    expect(world.store.audit.list({ limit: 10 })).toEqual([
      expect.objectContaining({ actor: 'alice', action: 'source.review', target: 'ville' }),
    ]);
  });
});
