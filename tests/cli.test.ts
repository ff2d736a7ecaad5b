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
