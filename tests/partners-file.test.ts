import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, PartnersFileError } from '../core/errors.ts';
import { loadPartnersFile, parsePartnersFile, type PartnerScopeVocabulary } from '../core/partners-file.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';

const resources = await loadIndexerResources();
const vocabulary: PartnerScopeVocabulary = {
  territories: resources.territories,
  sourceIds: new Set(['frontignan', 'sete-agglopole']),
  themeSlugs: new Set(resources.taxonomy.themes.map((theme) => theme.slug)),
};

/** The problems a partners file yields, as the one-line messages an admin reads. */
function problemsOf(text: string): string[] {
  try {
    parsePartnersFile(text, 'partners.yaml', vocabulary);
  } catch (error) {
    if (error instanceof PartnersFileError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('the file was expected to be invalid');
}

const VALID = `
partners:
  - id: maires-herault
    name: Association des maires de l'Hérault
    key: pk_maires34_7f3c9a1e5b2d4c6f
    origins: ['https://www.maires34.fr', 'http://localhost:8080']
    scope:
      territories: [departement:34]
      kinds: [collectivite, etat]
      themes: [education]
    rateLimitPerMinute: 1200
`;

describe('loading partners.yaml', () => {
  it('loads the shipped file, which declares no partner yet', async () => {
    const file = path.join(import.meta.dirname, '..', 'partners.yaml');
    expect(await loadPartnersFile(file, vocabulary)).toEqual([]);
  });

  it("reads a partner's key, origins, scope and allowance", () => {
    expect(parsePartnersFile(VALID, 'partners.yaml', vocabulary)).toEqual([
      {
        id: 'maires-herault',
        name: "Association des maires de l'Hérault",
        key: 'pk_maires34_7f3c9a1e5b2d4c6f',
        origins: ['https://www.maires34.fr', 'http://localhost:8080'],
        scope: { territories: ['departement:34'], kinds: ['collectivite', 'etat'], themes: ['education'] },
        rateLimitPerMinute: 1200,
        enabled: true,
      },
    ]);
  });

  it('names the file, the partner and the field of every problem', () => {
    const problems = problemsOf(`
partners:
  - id: maires-herault
    name: Maires
    key: short
    origins: ['https://www.maires34.fr/widget']
    scope:
      territories: [departement:999, commune:34999]
      sources: [nowhere]
      themes: [cuisine]
    colour: red
  - name: Sans identifiant
    key: pk_sans_identifiant_0001
    origins: []
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'partners.yaml: maires-herault: key: must be 16 to 64 characters of [A-Za-z0-9_-]',
        "partners.yaml: maires-herault: origins.0: must be an origin only (scheme, host, port), such as 'https://www.maires34.fr'; got 'https://www.maires34.fr/widget'",
        'partners.yaml: maires-herault: colour: unknown field',
        'partners.yaml: partners[1]: id: is required (string)',
      ]),
    );
    expect(problems.some((problem) => problem.startsWith('partners.yaml: partners[1]: origins:'))).toBe(true);
  });

  it('refuses a scope naming a territory, source or theme that does not exist', () => {
    const problems = problemsOf(`
partners:
  - id: agence
    name: Agence
    key: pk_agence_0123456789abcd
    origins: ['https://agence.example.org']
    scope: { territories: [commune:34999], sources: [nowhere], themes: [cuisine] }
`);
    expect(problems).toEqual([
      "partners.yaml: agence: scope.territories.0: unknown commune code '34999' (not in the official list)",
      "partners.yaml: agence: scope.sources.0: no enabled source 'nowhere' in the sources file",
      "partners.yaml: agence: scope.themes.0: no theme 'cuisine' (indexer/themes.yaml)",
    ]);
  });

  it('refuses two partners with one key, and a file that is not a list of partners', () => {
    const twice = `${VALID}  - id: copie\n    name: Copie\n    key: pk_maires34_7f3c9a1e5b2d4c6f\n    origins: ['https://copie.example.org']\n`;
    expect(problemsOf(twice)).toEqual([
      "partners.yaml: copie: key: duplicate key, already 'maires-herault''s",
    ]);
    expect(problemsOf('- just a list')).toEqual([
      "partners.yaml: expected a mapping with a 'partners:' list",
    ]);
  });
});
