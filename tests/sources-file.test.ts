import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, SourcesFileError } from '../core/errors.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'sources', name);

/** The problems a file yields, as the one-line messages a user reads. */
async function problemsOf(file: string, hosts?: { allowPrivateNetworks: boolean }): Promise<string[]> {
  try {
    await loadSourcesFile(file, undefined, hosts);
  } catch (error) {
    if (error instanceof SourcesFileError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error(`${file} was expected to be invalid`);
}

describe('loading sources.yaml', () => {
  it('loads the shipped whitelist', async () => {
    const sources = await loadSourcesFile(path.join(import.meta.dirname, '..', 'sources.yaml'));
    expect(sources.length).toBeGreaterThanOrEqual(10);
    expect(sources.map((source) => source.id)).toContain('sete-agglopole');
    expect(sources.find((source) => source.id === 'sete-agglopole')?.territory).toBe('epci:200066355');
  });

  it('applies defaults and normalizes the URL', async () => {
    const [agglo, servicePublic] = await loadSourcesFile(fixture('valid.yaml'));
    expect(agglo?.crawl).toEqual({
      include: ['/**'],
      exclude: ['/recherche/**'],
      maxPages: 500,
      maxConcurrency: 2,
      requestsPerSecond: 2,
    });
    expect(agglo?.enabled).toBe(true);
    expect(servicePublic?.url).toBe('https://www.service-public.gouv.fr/');
    expect(servicePublic?.crawl.maxPages).toBe(2000);
    expect(servicePublic?.enabled).toBe(false);
  });

  it('names the file, the source and the field of a missing url', async () => {
    expect(await problemsOf(fixture('missing-url.yaml'))).toEqual([
      `${fixture('missing-url.yaml')}: castelnaudary: url: is required (string)`,
    ]);
  });

  it('rejects an unknown kind and says which kinds exist', async () => {
    const [problem, ...rest] = await problemsOf(fixture('unknown-kind.yaml'));
    expect(rest).toEqual([]);
    expect(problem).toContain('tarbes: kind:');
    expect(problem).toContain('"collectivite"');
    expect(problem).toContain('"mairie"');
  });

  it('rejects malformed territory codes, one message each', async () => {
    const problems = await problemsOf(fixture('bad-territory.yaml'));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /frontignan: territory: commune code must be a 5-character INSEE code.*'3420'/,
    );
    expect(problems[1]).toMatch(/herault: territory: departement code must be .*'20'/);
    expect(problems[2]).toMatch(/occitanie: territory: expected 'national' or '<level>:<code>'/);
  });

  it('rejects duplicate ids and duplicate URLs, even written differently', async () => {
    const problems = await problemsOf(fixture('duplicate-id.yaml'));
    expect(problems).toEqual([
      `${fixture('duplicate-id.yaml')}: tarbes: id: duplicate id`,
      `${fixture('duplicate-id.yaml')}: tarbes-bis: url: duplicate url, already used by 'tarbes'`,
    ]);
  });

  it('says a file that is not YAML is not valid YAML, with the line', async () => {
    const problems = await problemsOf(fixture('not-yaml.yaml'));
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]).toMatch(/not-yaml\.yaml: not valid YAML: .*line \d+/);
  });

  it('reports every problem of every source at once, by index when the id is missing', async () => {
    const problems = await problemsOf(fixture('several-problems.yaml'));
    expect(problems).toEqual([
      expect.stringMatching(/castanet-tolosan: url: must be http or https/),
      expect.stringMatching(/castanet-tolosan: crawl\.maxPage: unknown field/),
      expect.stringMatching(/sources\[1\]: id: is required/),
    ]);
  });

  it('says when the file does not exist', async () => {
    expect(await problemsOf(fixture('nowhere.yaml'))).toEqual([
      `${fixture('nowhere.yaml')}: cannot read: file not found`,
    ]);
  });
});

describe('a source recrawled on its own schedule', () => {
  const entry = (every: unknown) => ({
    id: 'sete-agglopole',
    name: 'Sète Agglopôle',
    kind: 'collectivite',
    url: 'https://www.agglopole.fr/',
    territory: 'national',
    crawl: { every },
  });

  it('keeps the interval as written, in hours, days or weeks', async () => {
    const file = await writeTempSourcesFile([
      entry('6h'),
      { ...entry('1w'), id: 'autre', url: 'https://autre.fr/' },
    ]);
    const sources = await loadSourcesFile(file);
    expect(sources.map((source) => source.crawl.every)).toEqual(['6h', '1w']);
  });

  it('names the file, the source and the field of an interval that is not a duration', async () => {
    const file = await writeTempSourcesFile([entry('tous les jours')]);
    expect(await problemsOf(file)).toEqual([
      `${file}: sete-agglopole: crawl.every: must be a duration like 30m, 6h, 1d, 1d12h or 1w (units s, m, h, d, w); got 'tous les jours'`,
    ]);
  });

  it('refuses a bare number and an interval shorter than a minute, naming the field', async () => {
    for (const every of [24, '10s']) {
      const problems = await problemsOf(await writeTempSourcesFile([entry(every)]));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('sete-agglopole: crawl.every: must be');
    }
  });
});

describe('a source given by address rather than by host name', () => {
  const source = (id: string, url: string) => ({
    id,
    name: id,
    kind: 'collectivite',
    url,
    territory: 'national',
  });
  const byAddress = [
    source('boucle', 'http://127.0.0.1:8080/'),
    source('boucle-v6', 'http://[::1]/'),
    source('decimale', 'http://2130706433/'),
    source('interne', 'https://10.1.2.3/'),
    source('publique', 'http://93.184.215.14/'),
    source('local', 'http://localhost:3000/'),
    source('sous-local', 'http://mairie.localhost/'),
  ];
  const byName = source('tarbes', 'https://www.tarbes.fr/');

  it('is refused when private networks are not allowed, naming the file, the source and the field url', async () => {
    const file = await writeTempSourcesFile([byName, ...byAddress]);
    const problems = await problemsOf(file, { allowPrivateNetworks: false });
    expect(problems.map((problem) => problem.split(': url: ')[0])).toEqual(
      byAddress.map(({ id }) => `${file}: ${id}`),
    );
    expect(problems[0]).toContain("'127.0.0.1' is an IP address");
    expect(problems[5]).toContain("'localhost'");
    expect(problems[0]).toContain('CRAWL_ALLOW_PRIVATE_NETWORKS');
  });

  it('is accepted when private networks are allowed, for a local test web', async () => {
    const file = await writeTempSourcesFile([byName, ...byAddress]);
    const sources = await loadSourcesFile(file, undefined, { allowPrivateNetworks: true });
    expect(sources).toHaveLength(1 + byAddress.length);
  });
});

describe('a dataset source in a sources file', () => {
  const dataset = (overrides: Record<string, unknown> = {}) => ({
    id: 'dgcl',
    name: 'Projets financés (DGCL)',
    kind: 'etat',
    url: 'https://data.example.gouv.fr/',
    territory: 'national',
    dataset: {
      rows: 'projets',
      publisher: 'DGCL',
      key: ['intitule'],
      columns: { title: 'intitule', cost: 'cout_ht' },
      files: [{ url: 'https://data.example.gouv.fr/projets-2024.csv', year: 2024 }],
      ...overrides,
    },
  });

  it('loads with its files, its key and its columns', async () => {
    const [source] = await loadSourcesFile(await writeTempSourcesFile([dataset()]));
    expect(source?.dataset).toMatchObject({ rows: 'projets', key: ['intitule'], maxFileMegabytes: 200 });
  });

  it('refuses a file on another host than the source, naming the field', async () => {
    const file = await writeTempSourcesFile([
      dataset({ files: [{ url: 'https://ailleurs.example.org/projets.csv' }] }),
    ]);
    expect(await problemsOf(file)).toEqual([
      `${file}: dgcl: dataset.files.0.url: must be on the source's own host (https://data.example.gouv.fr); got 'https://ailleurs.example.org/projets.csv'`,
    ]);
  });

  it('names the missing title column and an unknown column role', async () => {
    const file = await writeTempSourcesFile([dataset({ columns: { cost: 'cout_ht', montant: 'x' } })]);
    const problems = await problemsOf(file);
    expect(problems).toContain(`${file}: dgcl: dataset.columns.title: is required (string)`);
    expect(problems).toContain(`${file}: dgcl: dataset.columns.montant: unknown field`);
  });
});
