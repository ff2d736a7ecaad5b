import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadSynonymFiles,
  loadSynonyms,
  MAX_KEY_WORDS,
  parseSynonyms,
  type Synonyms,
  toMeilisearchSynonyms,
} from '../indexer/synonyms.ts';

const SYNONYMS_FILE = fileURLToPath(new URL('../indexer/synonyms.yaml', import.meta.url));
const INVALID_FILE = fileURLToPath(new URL('./fixtures/synonyms-invalid.yaml', import.meta.url));

/** Words as Meilisearch splits them: an apostrophe or a hyphen separates words. */
const wordCount = (term: string) => term.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;

describe('the shipped synonyms file', () => {
  let synonyms: Synonyms;
  let setting: Record<string, string[]>;
  beforeAll(async () => {
    synonyms = await loadSynonyms(SYNONYMS_FILE);
    setting = toMeilisearchSynonyms(synonyms);
  });

  it('loads at least 150 reviewed entries', () => {
    expect(synonyms.equivalents.length + synonyms.oneWay.length).toBeGreaterThanOrEqual(150);
  });

  it('makes each equivalence group symmetric in the setting', () => {
    for (const group of synonyms.equivalents) {
      for (const term of group.filter((t) => wordCount(t) <= MAX_KEY_WORDS)) {
        for (const other of group.filter((t) => t !== term)) expect(setting[term], term).toContain(other);
      }
    }
    expect(setting['carte grise']).toContain("certificat d'immatriculation");
    expect(setting["certificat d'immatriculation"]).toContain('carte grise');
    expect(setting['mairie']).toContain('hôtel de ville');
    expect(setting['hôtel de ville']).toContain('mairie');
    expect(setting['cantine']).toContain('restauration scolaire');
    expect(setting['restauration scolaire']).toContain('cantine');
  });

  it('expands a one-way term forward only', () => {
    expect(setting['pac']).toEqual(expect.arrayContaining(['politique agricole commune', 'pompe à chaleur']));
    expect(setting['pompe à chaleur']).toBeUndefined();
    expect(setting['politique agricole commune']).toBeUndefined();
    for (const { from, to } of synonyms.oneWay) {
      expect(setting[from], from).toEqual(expect.arrayContaining(to));
      const sameGroup = (term: string) =>
        synonyms.equivalents.some((g) => g.includes(term) && g.includes(from));
      for (const target of to.filter((t) => !sameGroup(t))) {
        expect(setting[target] ?? [], `${target} -> ${from}`).not.toContain(from);
      }
    }
  });

  it('merges a one-way term with its equivalence group', () => {
    expect(setting['intercommunalité']).toEqual(expect.arrayContaining(['epci', 'communauté de communes']));
    expect(setting['epci']).toContain('intercommunalité');
    expect(setting['communauté de communes']).not.toContain('intercommunalité');
  });

  it('keys only terms Meilisearch looks up (1 to 3 words), the longer ones staying targets', () => {
    expect(setting['rsa']).toContain('revenu de solidarité active');
    expect(setting['revenu de solidarité active']).toBeUndefined();
    for (const [key, targets] of Object.entries(setting)) {
      expect(wordCount(key), key).toBeLessThanOrEqual(MAX_KEY_WORDS);
      expect(key).toBe(key.toLowerCase());
      expect(targets.length).toBeGreaterThan(0);
      expect(targets).not.toContain(key);
      for (const target of targets) expect(target.length, target).toBeLessThanOrEqual(50);
    }
  });
});

describe('loadSynonyms errors', () => {
  let message: string;
  beforeAll(async () => {
    const error = await loadSynonyms(INVALID_FILE).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_synonyms_file' });
    message = (error as Error).message;
  });

  it.each([
    ['equivalents[0] (caf): [1]: must be lowercase'],
    ['equivalents[1] (rsa): [1]: is empty'],
    ['equivalents[2] (plu): Too small'],
    ['equivalents[3] (cpam): [1]: Too big'],
    ["equivalents[5] (hotel de ville): [0]: 'hotel de ville' is already in equivalents[4] (mairie)"],
    ["equivalents[6] (cantine): [1]: 'cantine' is already in this entry"],
    ['equivalents[7] (revenu de solidarité active): no term of 3 words or fewer'],
    ['oneWay[0] (pac): to: Too small'],
    ['oneWay[1] (aide personnalisée au logement): from: more than 3 words'],
    ["oneWay[2] (pac): from: 'pac' is already in oneWay[0] (pac)"],
    ['oneWay[3] (cdi): Unrecognized key: "note"'],
  ])('reports %s, naming the file', (problem) => {
    expect(message).toContain(`${INVALID_FILE}: ${problem}`);
  });

  it('says when the file is missing or not YAML', async () => {
    await expect(loadSynonyms('/nonexistent/synonyms.yaml')).rejects.toThrow(
      '/nonexistent/synonyms.yaml: cannot read: file not found',
    );
    expect(() => parseSynonyms('equivalents: [caf, [', 'broken.yaml')).toThrow('broken.yaml: not valid YAML');
    expect(() => parseSynonyms('equivalent: []', 'typo.yaml')).toThrow('typo.yaml: Unrecognized key');
  });
});

describe('the synonyms files together', () => {
  const PROJECTS_FILE = fileURLToPath(new URL('../indexer/synonyms-projects.yaml', import.meta.url));

  it('load as one setting in which "city stade" and "rd" find what the titles call them', async () => {
    const setting = toMeilisearchSynonyms(await loadSynonymFiles([SYNONYMS_FILE, PROJECTS_FILE]));
    expect(setting['rd']).toContain('route départementale');
    expect(Object.keys(setting).length).toBeGreaterThan(
      Object.keys(toMeilisearchSynonyms(await loadSynonyms(SYNONYMS_FILE))).length,
    );
  });

  it('refuse a term that is in a group of each file, naming both', async () => {
    const first = await writeTempFile('equivalents:\n  - [cantine, restaurant scolaire]\n');
    const second = await writeTempFile('equivalents:\n  - [restaurant scolaire, self]\n');
    await expect(loadSynonymFiles([first, second])).rejects.toThrow(
      `${second}: equivalents (restaurant scolaire): 'restaurant scolaire' is already in ${first}`,
    );
  });
});

async function writeTempFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'pas-synonyms-')), 'synonyms.yaml');
  await writeFile(file, text);
  return file;
}
