import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildFicheSite } from '../fixture-web/fiche-site.ts';
import { type ServedSite, serveSite } from '../fixture-web/site-server.ts';
import { runEntryPoint } from './support/run-command.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const meiliEnv = {
  MEILI_URL: inject('meiliUrl'),
  MEILI_MASTER_KEY: inject('meiliKey'),
  CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
};
const brokenFixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'sources', name);
let web: ServedSite;

beforeAll(async () => {
  web = await serveSite(buildFicheSite({ count: 12 }));
});
afterAll(async () => {
  await web.close();
});

describe('npm run crawl', () => {
  // CRAWL_EXTRACT_WORKERS=0 extracts in the crawl's own thread; the same pages must come out.
  it.each([
    ['', 'worker threads'],
    ['0', "the crawl's own thread"],
  ])(
    'crawls a site listed in a sources file, makes it searchable and saves a JSON report (CRAWL_EXTRACT_WORKERS=%j: %s)',
    async (workers) => {
      const indexUid = uniqueIndexUid('cli');
      const file = await writeTempSourcesFile([
        {
          id: 'fiches',
          name: 'Fiches',
          kind: 'etat',
          url: `${web.origin}/`,
          territory: 'national',
          crawl: { requestsPerSecond: 50 },
        },
      ]);
      const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-cli-'));
      const env = { ...meiliEnv, MEILI_INDEX: indexUid, DATA_DIR: dataDir, CRAWL_EXTRACT_WORKERS: workers };
      const result = await runEntryPoint('workflow/crawl-main.ts', ['--sources', file], env);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/^fiches: \d+ new, 0 changed, 0 unchanged, 0 deleted; .*errors: none$/m);
      const reportFile = /^Report: (.+)$/m.exec(result.stdout)?.[1];
      const saved = JSON.parse(await readFile(reportFile!, 'utf8')) as unknown;
      expect(saved).toEqual([expect.objectContaining({ sourceId: 'fiches', errors: {} })]);
      const search = await testMeiliClient().index(indexUid).search('', { limit: 0 });
      expect(search.estimatedTotalHits).toBeGreaterThanOrEqual(12);
    },
  );

  it('refuses a broken sources file with one message per problem and crawls nothing', async () => {
    const file = await writeTempSourcesFile([
      { id: 'fiches', name: 'Fiches', kind: 'etat', url: `${web.origin}/`, territory: 'national' },
      { id: 'fiches', name: 'Doublon', kind: 'mairie', url: `${web.origin}/autre/`, territory: 'commune:1' },
      { id: 'sans-url', name: 'Sans URL', kind: 'etat', territory: 'national' },
    ]);
    web.resetStats();
    const result = await runEntryPoint('workflow/crawl-main.ts', ['--sources', file], meiliEnv);
    expect(result.exitCode).toBe(2);
    const problems = result.stderr.split('\n').filter((line) => line.startsWith('  - '));
    expect(problems).toEqual([
      expect.stringContaining('fiches: kind:'),
      expect.stringContaining('fiches: territory: commune code'),
      expect.stringContaining('sans-url: url: is required'),
      expect.stringContaining('fiches: id: duplicate id'),
    ]);
    expect(web.requests).toEqual([]);
  });

  it('refuses a source given as an IP address when private networks are not allowed, and crawls nothing', async () => {
    const file = await writeTempSourcesFile([
      { id: 'fiches', name: 'Fiches', kind: 'etat', url: `${web.origin}/`, territory: 'national' },
    ]);
    web.resetStats();
    const result = await runEntryPoint('workflow/crawl-main.ts', ['--sources', file], {
      ...meiliEnv,
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'false',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${file}: fiches: url: '127.0.0.1' is an IP address`);
    expect(web.requests).toEqual([]);
  });

  it('refuses an unknown --source id', async () => {
    const file = await writeTempSourcesFile([
      { id: 'fiches', name: 'Fiches', kind: 'etat', url: `${web.origin}/`, territory: 'national' },
    ]);
    const result = await runEntryPoint(
      'workflow/crawl-main.ts',
      ['--sources', file, '--source', 'nope'],
      meiliEnv,
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('nope: no source with this id');
  });
});

describe('npm run sources:check', () => {
  it('accepts the shipped sources.yaml', async () => {
    const result = await runEntryPoint('core/sources-check-main.ts', ['sources.yaml']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/sources\.yaml: \d+ sources, \d+ enabled\. OK\./);
  });

  it('refuses a territory code that is well formed but not in the official list, as the crawl does', async () => {
    const file = await writeTempSourcesFile([
      {
        id: 'nulle-part',
        name: 'Nulle part',
        kind: 'collectivite',
        url: 'https://nulle-part.fr/',
        territory: 'commune:99999',
      },
    ]);
    const result = await runEntryPoint('core/sources-check-main.ts', [file]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${file}: nulle-part: territory: unknown commune code '99999'`);
  });

  it('refuses sources given as an IP address or localhost, unless CRAWL_ALLOW_PRIVATE_NETWORKS=true', async () => {
    const file = await writeTempSourcesFile([
      { id: 'boucle', name: 'Boucle', kind: 'etat', url: 'http://127.0.0.1:8080/', territory: 'national' },
      { id: 'local', name: 'Local', kind: 'etat', url: 'http://intranet.localhost/', territory: 'national' },
    ]);
    const refused = await runEntryPoint('core/sources-check-main.ts', [file]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`${file}: boucle: url: '127.0.0.1' is an IP address`);
    expect(refused.stderr).toContain(`${file}: local: url: 'intranet.localhost' is this machine`);

    const allowed = await runEntryPoint('core/sources-check-main.ts', [file], {
      CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
    });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain('2 sources, 2 enabled. OK.');
  });

  it('prints its usage with --help and exits 0', async () => {
    const result = await runEntryPoint('core/sources-check-main.ts', ['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run sources:check/);
    expect(result.stdout).toContain('CRAWL_ALLOW_PRIVATE_NETWORKS');
  });

  it('refuses an unknown option with its usage and exits 2', async () => {
    const result = await runEntryPoint('core/sources-check-main.ts', ['--fix']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Usage: npm run sources:check');
  });

  it.each([
    'missing-url.yaml',
    'unknown-kind.yaml',
    'bad-territory.yaml',
    'duplicate-id.yaml',
    'not-yaml.yaml',
  ])('rejects %s with a non-zero exit and names the file', async (name) => {
    const result = await runEntryPoint('core/sources-check-main.ts', [brokenFixture(name)]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${brokenFixture(name)}: `);
  });
});
