import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConfigProblem, SourcesFileError } from '../core/errors.ts';
import { loadSourcesFile, parseSourcesFile } from '../core/sources-file.ts';
import { loadTerritoryRegistry, type TerritoryRegistry } from '../core/territory-registry.ts';
import { SIZE_BRACKET_LABELS, SIZE_BRACKETS, sizeBracketOf } from '../core/territory-size.ts';

const SHIPPED_SOURCES = path.join(import.meta.dirname, '..', 'sources.yaml');

let territories: TerritoryRegistry;
beforeAll(async () => {
  territories = await loadTerritoryRegistry();
});

describe('resolving a sources.yaml territory code', () => {
  it('resolves Sète with its département, région, size and EPCI', () => {
    expect(territories.resolve('commune:34301')).toEqual({
      code: 'commune:34301',
      level: 'commune',
      name: 'Sète',
      departement: { code: '34', name: 'Hérault' },
      region: { code: '76', name: 'Occitanie' },
      population: expect.any(Number) as number,
      sizeBracket: '10000-50000',
      codes: ['commune:34301', 'epci:200066355', 'departement:34', 'region:76'],
    });
  });

  it('resolves Castanet-Tolosan in Haute-Garonne and the Sicoval', () => {
    const castanet = territories.resolve('commune:31113');
    expect(castanet?.name).toBe('Castanet-Tolosan');
    expect(castanet?.departement).toEqual({ code: '31', name: 'Haute-Garonne' });
    expect(castanet?.sizeBracket).toBe('10000-50000');
    expect(castanet?.codes).toEqual(['commune:31113', 'epci:243100633', 'departement:31', 'region:76']);
  });

  it('sizes an EPCI by its municipal population, not its total population', () => {
    // In @etalab/decoupage-administratif 6.0.0: populationMunicipale 129 982, populationTotale 131 622.
    expect(territories.resolve('epci:200066355')).toMatchObject({
      level: 'epci',
      name: 'CA Sète Agglopôle Méditerranée',
      population: 129_982,
      sizeBracket: 'plus-de-50000',
      departement: { code: '34', name: 'Hérault' },
      codes: ['epci:200066355', 'departement:34', 'region:76'],
    });
  });

  it('lists every département and région an EPCI spans, the one with most inhabitants first', () => {
    const aire = territories.resolve('epci:200030435'); // CC d'Aire-sur-l'Adour: Landes and Gers
    expect(aire?.departement?.code).toBe('40');
    expect(aire?.codes).toEqual([
      'epci:200030435',
      'departement:40',
      'departement:32',
      'region:75',
      'region:76',
    ]);
  });

  it('resolves a Corsican département and a région, without size bracket', () => {
    expect(territories.resolve('departement:2A')).toMatchObject({
      name: 'Corse-du-Sud',
      region: { code: '94', name: 'Corse' },
      sizeBracket: null,
      codes: ['departement:2A', 'region:94'],
    });
    expect(territories.resolve('region:76')).toMatchObject({
      level: 'region',
      name: 'Occitanie',
      departement: null,
      sizeBracket: null,
      codes: ['region:76'],
    });
  });

  it('resolves national as France', () => {
    expect(territories.resolve('national')).toMatchObject({
      code: 'national',
      level: 'national',
      name: 'France',
      departement: null,
      region: null,
      sizeBracket: null,
      codes: ['national'],
    });
  });

  it('resolves nothing for a code that is unknown, malformed, or not a current commune', () => {
    for (const code of [
      'commune:99999',
      'epci:123456789',
      'region:99',
      'commune:75101', // an arrondissement municipal of Paris, not a commune
      'commune:2a004', // Corsican codes are upper-case
      'Sète',
      '',
    ]) {
      expect(territories.resolve(code), code).toBeUndefined();
    }
  });

  it('says which level of code is unknown', () => {
    expect(territories.unknownCodeProblem('commune:99999')).toBe(
      "unknown commune code '99999' (not in the official list)",
    );
    expect(territories.unknownCodeProblem('epci:123456789')).toBe(
      "unknown EPCI SIREN '123456789' (not in the official list)",
    );
    expect(territories.unknownCodeProblem('region:99')).toBe(
      "unknown région code '99' (not in the official list)",
    );
    expect(territories.unknownCodeProblem('commune:34301')).toBeUndefined();
    expect(territories.unknownCodeProblem('commune:123')).toBeUndefined(); // malformed: the schema says so
  });
});

describe('sizing communes and EPCIs', () => {
  it('puts each lower bound in the bracket above it', () => {
    expect([1_999, 2_000, 9_999, 10_000, 49_999, 50_000].map(sizeBracketOf)).toEqual([
      'moins-de-2000',
      '2000-10000',
      '2000-10000',
      '10000-50000',
      '10000-50000',
      'plus-de-50000',
    ]);
  });

  it('has a French label for every bracket', () => {
    expect(SIZE_BRACKETS.map((bracket) => SIZE_BRACKET_LABELS[bracket])).toEqual([
      'Moins de 2\u202f000 habitants',
      'De 2\u202f000 à 10\u202f000 habitants',
      'De 10\u202f000 à 50\u202f000 habitants',
      'Plus de 50\u202f000 habitants',
    ]);
  });
});

describe('searching a territory by name or code', () => {
  const codesOf = (query: string, limit?: number) => territories.search(query, limit).map((t) => t.code);

  it('finds communes by a word prefix, larger first', () => {
    const names = territories.search('castel').map((t) => t.name);
    expect(names).toContain('Castelnau-le-Lez');
    expect(names).toContain('Castelnaudary');
    expect(names.indexOf('Castelnau-le-Lez')).toBeLessThan(names.indexOf('Castelnaudary'));
  });

  it('ignores accents and case', () => {
    expect(codesOf('SÈTE')[0]).toBe('commune:34301');
    expect(codesOf('sete')[0]).toBe('commune:34301');
    expect(codesOf('l hay les roses')[0]).toBe('commune:94038');
    expect(codesOf('vandoeuvre')[0]).toBe('commune:54547');
  });

  it('puts an exact name before a longer one, whatever their populations', () => {
    expect(codesOf('sete').slice(0, 2)).toEqual(['commune:34301', 'epci:200066355']);
  });

  it('finds the Hérault département first for 34, then its communes', () => {
    const results = territories.search('34');
    expect(results[0]?.code).toBe('departement:34');
    expect(results.slice(1).every((t) => t.code.startsWith('commune:34'))).toBe(true);
  });

  it('means the département, then the région, by a shared number', () => {
    expect(codesOf('76').slice(0, 2)).toEqual(['departement:76', 'region:76']);
    expect(codesOf('2a')[0]).toBe('departement:2A');
  });

  it('finds a commune by its INSEE code and an EPCI by its SIREN or full code', () => {
    expect(codesOf('34301')).toEqual(['commune:34301']);
    expect(codesOf('200066355')).toEqual(['epci:200066355']);
    expect(codesOf('commune:31113')).toEqual(['commune:31113']);
  });

  it('finds an EPCI by several word prefixes', () => {
    expect(codesOf('sete agglo')[0]).toBe('epci:200066355');
    expect(codesOf('agglo sete')[0]).toBe('epci:200066355');
  });

  it('finds a name by a piece of a word, after word matches', () => {
    expect(codesOf('naudary')).toContain('commune:11076');
  });

  it('returns at most limit results, and none for an empty query', () => {
    expect(codesOf('saint', 3)).toHaveLength(3);
    expect(codesOf('saint')).toHaveLength(10);
    expect(codesOf('  -- ')).toEqual([]);
    expect(codesOf('zzzzqx')).toEqual([]);
  });

  it('answers in under 5 ms per query over 35k communes', () => {
    const queries = ['castel', '34', '34301', 'sete agglo', 'saint', 'a', 'l hay les roses', 'montpellier'];
    for (const query of queries) territories.search(query); // warm up
    const durations = queries.flatMap((query) =>
      Array.from({ length: 5 }, () => {
        const start = performance.now();
        territories.search(query);
        return performance.now() - start;
      }),
    );
    const median = durations.sort((a, b) => a - b)[Math.floor(durations.length / 2)] ?? Infinity;
    expect(median).toBeLessThan(5);
  });
});

describe('checking sources.yaml territories against the official list', () => {
  const problemsOf = (text: string, file: string): ConfigProblem[] => {
    try {
      parseSourcesFile(text, file, territories);
    } catch (error) {
      if (error instanceof SourcesFileError) return error.problems;
      throw error;
    }
    throw new Error('expected the sources file to be invalid');
  };
  const sourcesYaml = [
    'sources:',
    '  - { id: nowhere, name: Nowhere, kind: collectivite, url: https://nowhere.fr, territory: commune:99999 }',
    '  - id: ghost-agglo',
    '    name: Ghost agglo',
    '    kind: collectivite',
    '    url: https://ghost-agglo.fr',
    '    territory: epci:123456789',
    '    enabled: false',
    '  - { id: sete, name: Sète, kind: collectivite, url: https://sete.fr, territory: commune:34301 }',
  ].join('\n');

  it('reports an unknown commune and an unknown EPCI, enabled or not, with file, source and field', () => {
    expect(problemsOf(sourcesYaml, 'my-sources.yaml')).toEqual([
      {
        file: 'my-sources.yaml',
        entry: 'nowhere',
        field: 'territory',
        message: "unknown commune code '99999' (not in the official list)",
      },
      {
        file: 'my-sources.yaml',
        entry: 'ghost-agglo',
        field: 'territory',
        message: "unknown EPCI SIREN '123456789' (not in the official list)",
      },
    ]);
  });

  it('reports an unknown code along with the source’s other problems', () => {
    const text =
      'sources:\n  - { id: bad, name: Bad, kind: mairie, url: https://bad.fr, territory: region:99 }';
    expect(problemsOf(text, 'f.yaml').map((problem) => problem.field)).toEqual(['kind', 'territory']);
  });

  it('only checks the format without the registry', () => {
    expect(parseSourcesFile(sourcesYaml, 'my-sources.yaml').map((source) => source.id)).toEqual([
      'nowhere',
      'ghost-agglo',
      'sete',
    ]);
  });

  it('resolves every territory of the shipped sources.yaml', async () => {
    const sources = await loadSourcesFile(SHIPPED_SOURCES, territories);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(territories.resolve(source.territory), source.id).toBeDefined();
  });
});
