import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { htmlResponse } from '../fixture-web/fixture-route.ts';
import { aTownPage } from './builders/town-page.ts';
import { anAdminWorld, type AdminWorld, siteEntry } from './support/admin-world.ts';
import { servedPerTest } from './support/served-sites.ts';
import { startEntryPoint } from './support/spawn-entry-point.ts';

const serve = servedPerTest();
const worlds: AdminWorld[] = [];
afterEach(async () => {
  await Promise.all(worlds.splice(0).map((world) => world.close()));
});

/** A small town site whose pages say `word`, so a search for it names this site's pages only. */
function aTownSite(word: string) {
  return new Map([
    [
      '/',
      htmlResponse(
        aTownPage({
          title: `Accueil ${word}`,
          paragraphs: [`Bienvenue, ${word} vous informe.`],
          links: ['/a', '/b'],
        }),
      ),
    ],
    [
      '/a',
      htmlResponse(
        aTownPage({ title: `Travaux ${word}`, paragraphs: [`Les travaux de ${word} avancent bien.`] }),
      ),
    ],
    [
      '/b',
      htmlResponse(
        aTownPage({ title: `Cantine ${word}`, paragraphs: [`La cantine de ${word} sert des repas bio.`] }),
      ),
    ],
  ]);
}

async function aWorld(yaml: string): Promise<AdminWorld> {
  const world = await anAdminWorld(yaml);
  worlds.push(world);
  return world;
}

const whitelist = (origin: string) => `# Trusted sources: reviewed in git.
sources:
  # The first town, crawled since 2024.
${siteEntry('premiere', origin)}`;

async function untilFinished(world: AdminWorld, jobId: number) {
  for (;;) {
    const { body } = await world.asAlice('GET', '/v1/admin/recrawls');
    const job = (body as { jobs: { id: number; status: string; output: string }[] }).jobs.find(
      (j) => j.id === jobId,
    );
    if (job && job.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('adding a source', () => {
  it('writes it to sources.yaml with who added it, and a recrawl makes its pages searchable', async () => {
    const [premiere, nouvelle] = await Promise.all([
      serve(aTownSite('zorglub')),
      serve(aTownSite('bamboula')),
    ]);
    const world = await aWorld(whitelist(premiere.origin));

    const added = await world.asAlice('POST', '/v1/admin/sources', {
      id: 'nouvelle',
      name: 'Nouvelle commune labellisée',
      kind: 'collectivite',
      url: `${nouvelle.origin}/`,
      territory: 'commune:34108',
      crawl: { requestsPerSecond: 50 },
      curation: { reason: 'Label Villes Internet 2025', contact: 'webmestre@example.org' },
    });
    expect(added.status).toBe(201);
    const file = parse(await readFile(world.sourcesFile, 'utf8')) as { sources: Record<string, unknown>[] };
    expect(file.sources.at(-1)).toMatchObject({
      id: 'nouvelle',
      curation: {
        addedBy: 'alice',
        addedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown,
        reason: 'Label Villes Internet 2025',
      },
    });

    const recrawl = await world.asAlice('POST', '/v1/admin/sources/nouvelle/recrawl');
    expect(recrawl.status).toBe(202);
    const job = await untilFinished(world, (recrawl.body as { job: { id: number } }).job.id);
    expect(job).toMatchObject({ status: 'done' });

    const hits = await world.search('bamboula cantine');
    expect(hits[0]).toMatchObject({ url: `${nouvelle.origin}/b`, source: { id: 'nouvelle' } });
    const { body } = await world.asAlice('GET', '/v1/admin/sources/nouvelle');
    expect(body).toMatchObject({
      status: 'ok',
      documents: { indexed: 3 },
      lastCrawl: { result: 'complete', new: 3 },
      review: { overdue: false },
      curation: { addedBy: 'alice' },
    });
  });

  it('refuses an entry the crawl would refuse, naming the field, and leaves the file as it was', async () => {
    const world = await aWorld(whitelist('http://127.0.0.1:9'));
    const before = await readFile(world.sourcesFile, 'utf8');

    const response = await world.asAlice('POST', '/v1/admin/sources', {
      id: 'mauvaise',
      name: 'Mauvaise',
      kind: 'collectivite',
      url: 'https://mauvaise.example/',
      territory: 'commune:99999',
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: {
        code: 'invalid_sources_file',
        details: [expect.objectContaining({ parameter: 'mauvaise.territory' })],
      },
    });
    expect(await readFile(world.sourcesFile, 'utf8')).toBe(before);
  });
});

describe('disabling, enabling and purging a source', () => {
  it('takes a disabled source out of the index at once, and an enabled one back at its next crawl', async () => {
    const site = await serve(aTownSite('zorglub'));
    const world = await aWorld(whitelist(site.origin));
    await world.crawl();
    expect(await world.documentsOf('premiere')).toBe(3);

    const disabled = await world.asAlice('POST', '/v1/admin/sources/premiere/disable');

    expect(disabled).toMatchObject({ status: 200, body: { documentsRemoved: 3 } });
    expect(await world.documentsOf('premiere')).toBe(0);
    expect(await world.search('zorglub')).toEqual([]);
    expect(await readFile(world.sourcesFile, 'utf8')).toContain('enabled: false');

    expect((await world.asAlice('POST', '/v1/admin/sources/premiere/enable')).status).toBe(200);
    await world.crawl();
    // The pages had not changed: remembered as unchanged, they would never have come back.
    expect(await world.documentsOf('premiere')).toBe(3);
    expect(await readFile(world.sourcesFile, 'utf8')).not.toContain('enabled:');
  });

  it('empties the index of a purged source at once, and keeps it in the whitelist', async () => {
    const site = await serve(aTownSite('zorglub'));
    const world = await aWorld(whitelist(site.origin));
    await world.crawl();

    const purged = await world.asAlice('POST', '/v1/admin/sources/premiere/purge');

    expect(purged).toMatchObject({ status: 200, body: { documentsRemoved: 3 } });
    expect(await world.documentsOf('premiere')).toBe(0);
    expect((await world.asAlice('GET', '/v1/admin/sources/premiere')).body).toMatchObject({
      enabled: true,
      documents: { indexed: 0, inStore: 0 },
    });
  });

  it('answers 409 naming the crawl that holds the store, and changes nothing', async () => {
    const slow = await serve(aTownSite('zorglub'));
    const world = await aWorld(
      whitelist(slow.origin).replace('requestsPerSecond: 50', 'requestsPerSecond: 0.5'),
    );
    const crawl = startEntryPoint('workflow/crawl-main.ts', [], world.env);
    try {
      while (slow.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));

      const purge = await world.asAlice('POST', '/v1/admin/sources/premiere/purge');
      const disable = await world.asAlice('POST', '/v1/admin/sources/premiere/disable');
      const recrawl = await world.asAlice('POST', '/v1/admin/sources/premiere/recrawl');

      for (const refused of [purge, disable, recrawl]) {
        expect(refused.status).toBe(409);
        expect(refused.body).toMatchObject({
          error: { code: 'store_busy', message: expect.stringContaining('npm run crawl') as unknown },
        });
      }
      expect(await readFile(world.sourcesFile, 'utf8')).not.toContain('enabled: false');
    } finally {
      crawl.child.kill('SIGTERM');
      await crawl.exited;
    }
  });
});

describe('editing sources.yaml', () => {
  it('keeps every one of several edits made at once, and every comment of the file', async () => {
    const world = await aWorld(
      whitelist('http://127.0.0.1:9').replace(
        'territory: national',
        'territory: national # the whole country',
      ),
    );

    const edits = await Promise.all([
      world.asAlice('PATCH', '/v1/admin/sources/premiere', {
        name: 'Première commune',
        crawl: { maxPages: 50 },
      }),
      world.asAlice('POST', '/v1/admin/sources/premiere/review'),
      ...['deux', 'trois', 'quatre'].map((id, index) =>
        world.asAlice('POST', '/v1/admin/sources', {
          id,
          name: `Commune ${id}`,
          kind: 'collectivite',
          url: `http://127.0.0.${index + 2}:9/`,
          territory: 'national',
        }),
      ),
    ]);

    expect(edits.map((edit) => edit.status)).toEqual([200, 200, 201, 201, 201]);
    const text = await readFile(world.sourcesFile, 'utf8');
    const file = parse(text) as { sources: Record<string, unknown>[] };
    expect(file.sources.map((source) => source.id).sort()).toEqual(['deux', 'premiere', 'quatre', 'trois']);
    expect(file.sources[0]).toMatchObject({
      name: 'Première commune',
      crawl: { requestsPerSecond: 50, maxPages: 50 },
      curation: { reviewedBy: 'alice' },
    });
    expect(text).toMatch(
      /^# Trusted sources: reviewed in git\.\nsources:\n {2}# The first town, crawled since 2024\.\n {2}- id: premiere\n/,
    );
    expect(text).toContain('territory: national # the whole country');
  });

  it('keeps a change made to the file meanwhile (a git pull), since each edit reads the file anew', async () => {
    const world = await aWorld(whitelist('http://127.0.0.1:9'));
    const text = await readFile(world.sourcesFile, 'utf8');
    await writeFile(world.sourcesFile, `${text}${siteEntry('from-git', 'http://127.0.0.5:9')}`);

    await world.asAlice('PATCH', '/v1/admin/sources/premiere', { name: 'Renamed' });

    const file = parse(await readFile(world.sourcesFile, 'utf8')) as { sources: Record<string, unknown>[] };
    expect(file.sources.map((source) => [source.id, source.name])).toEqual([
      ['premiere', 'Renamed'],
      ['from-git', 'Source from-git'],
    ]);
  });

  it('records each change in the audit log, with the token, the before and the after', async () => {
    const world = await aWorld(whitelist('http://127.0.0.1:9'));

    await world.asAlice('PATCH', '/v1/admin/sources/premiere', { name: 'Renamed' });

    const { body } = await world.asBob('GET', '/v1/admin/audit');
    expect((body as { entries: unknown[] }).entries).toEqual([
      expect.objectContaining({
        actor: 'alice',
        action: 'source.update',
        target: 'premiere',
        before: expect.objectContaining({ name: 'Source premiere' }) as unknown,
        after: expect.objectContaining({ name: 'Renamed' }) as unknown,
      }),
    ]);
  });
});
