import { FRENCH_STOP_WORDS } from './french-stop-words.ts';

/**
 * A light, conservative French stemmer. Meilisearch does no French stemming: "écoles" finds "école"
 * only through typo tolerance, "déclarer" never finds "déclaration". The indexer stores the stems of
 * each text field in shadow fields (`stemmed.*`, see to-search-document.ts) and the API searches with
 * the stems of the query words (api/query-text.ts), so both sides meet on the same stem.
 *
 * What it conflates (after folding case and accents, as Meilisearch does, and doubled letters):
 * - plurals and feminine forms: écoles → ecol = école; sociaux → social; dangereuse → danger = dangereux;
 *   ouvertes → ouvert; publique → public; active → actif; travaux → travail;
 * - past participles and infinitives of -er verbs, and -ation / -ement / -eur / -age nouns:
 *   déclarer, déclaré(e)(s), déclarez, déclaration(s) → declar; logement, loger → log;
 *   renouvellement, renouveler, renouvelle → renouvel; employer, employé, emploi → emploi;
 *   mariage, marier, mariée → mari; chômage, chômeur → chom; payer, paie, paiement → pai;
 * - -dre verbs: perdre, perds, perdu(e)(s) → perd; vendre, vendu, vendeur → vend;
 * - -ir infinitives (not -oir, -aire): établir, établissement → etabl; inscrire, inscription → inscr.
 *
 * - a few irregular nouns of everyday procedures, listed: perte(s) → perd (people write "permis
 *   perdu", the pages "perte du permis"), vente → vend, conduite → condu; and -oyer nouns that are not
 *   verbs keep their y (loyer is not loi, foyer is not foi); employeur stays employeur (the employer
 *   is not the job: "mon employeur ne m'a pas payé" is about wages, not about finding work).
 *
 * What it does not do, on purpose: other irregular or learned derivations (location ≠ louer),
 * conjugated forms in -ons / -ent / -ais / -ait (too many nouns end the same way: "pensions",
 * "parent", "frais"), and words of 3 letters or fewer (acronyms: rsa, apl, caf).
 * Words with a digit are kept as they are. A stem is never shorter than 3 letters. Some unrelated
 * words meet (mari, the husband, and marier): the price of a stemmer without a dictionary.
 */

/** Lowercase, accents and ligatures removed: how Meilisearch compares words. */
export function foldWord(word: string): string {
  return word.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFD').replace(/\p{M}/gu, '');
}

/** Words as Meilisearch splits French text: apostrophes, hyphens and punctuation separate words. */
export function splitWords(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

const STOP_WORDS = new Set(FRENCH_STOP_WORDS.map(foldWord));

/** A stop word of the index settings: Meilisearch ignores it in queries, so it gets no stem either. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(foldWord(word));
}

/** Plurals and derived nouns that no rule gets right (folded words, plurals included). */
const IRREGULAR: Record<string, string> = {
  travaux: 'travail',
  baux: 'bail',
  yeux: 'oeil',
  // The noun of a verb the pages and the users write in turn ("perte du permis", "permis perdu").
  perte: 'perd',
  pertes: 'perd',
  vente: 'vend',
  ventes: 'vend',
  conduite: 'condu',
  conduites: 'condu',
  // -yer nouns: the -yer → -i rule is for verbs (payer, paie); "loyer" must not become "loi".
  loyer: 'loyer',
  loyers: 'loyer',
  foyer: 'foyer',
  foyers: 'foyer',
  // Not "emploi": the employer is not the job ("mon employeur ne m'a pas payé" is about wages).
  employeur: 'employeur',
  employeurs: 'employeur',
  employeuse: 'employeur',
  employeuses: 'employeur',
};

const MIN_STEM = 3;

/** Suffixes tried in order once plural and final -e are gone; the first that leaves a long enough stem wins. */
const SUFFIXES: readonly { suffix: string; replacement: string; minStem: number }[] = [
  { suffix: 'isement', replacement: '', minStem: 4 }, // établissement (doubles already collapsed)
  { suffix: 'agement', replacement: '', minStem: 4 }, // déménagement → démén(ager)
  { suffix: 'ement', replacement: '', minStem: 3 }, // logement, renouvellement
  { suffix: 'ation', replacement: '', minStem: 4 }, // déclaration, immatriculation
  { suffix: 'iption', replacement: '', minStem: 4 }, // inscription → inscr(ire)
  { suffix: 'ateur', replacement: '', minStem: 4 }, // organisateur
  { suffix: 'atric', replacement: '', minStem: 4 }, // organisatrice
  { suffix: 'eur', replacement: '', minStem: 4 }, // travailleur, vendeur, chômeur
  { suffix: 'eus', replacement: '', minStem: 4 }, // vendeuse, dangereuse
  { suffix: 'eu', replacement: '', minStem: 4 }, // dangereu(x)
  { suffix: 'iqu', replacement: 'ic', minStem: 3 }, // publique → public
  { suffix: 'ager', replacement: '', minStem: 4 }, // partager → part(age)
  { suffix: 'er', replacement: '', minStem: 3 }, // déclarer, premier
  { suffix: 'ag', replacement: '', minStem: 4 }, // mariage → mari(er), chômage → chôm(eur)
  { suffix: 'ez', replacement: '', minStem: 3 }, // déclarez
  { suffix: 'dr', replacement: 'd', minStem: 3 }, // perdre, vendre
  { suffix: 'du', replacement: 'd', minStem: 3 }, // perdu, vendu
  { suffix: 'iv', replacement: 'if', minStem: 3 }, // active → actif
];

/** The stem of one word (any case, accents or not). */
export function frenchStem(word: string): string {
  let stem = foldWord(word);
  if (stem.length <= MIN_STEM || /\d/.test(stem) || !/^\p{L}+$/u.test(stem)) return stem;
  const irregular = IRREGULAR[stem];
  if (irregular) return irregular;
  // Plural: -s (not -is: permis, avis, devis), -x after a vowel pair (eaux, jeux, genoux).
  if (stem.length >= 5 && stem.endsWith('aux') && !stem.endsWith('eaux')) stem = `${stem.slice(0, -3)}al`;
  else if (stem.length >= 5 && /(au|eu|ou)x$/.test(stem)) stem = stem.slice(0, -1);
  else if (stem.length >= 5 && stem.endsWith('s') && !stem.endsWith('is')) stem = stem.slice(0, -1);
  // Doubled letters vary within a family (renouveler, renouvelle; annuler, annulation).
  stem = stem.replace(/(\p{L})\1+/gu, '$1');

  // Feminine, past participle, mute -e: déclarée, déclaré, école (twice for -ée).
  for (let i = 0; i < 2 && stem.endsWith('e') && stem.length - 1 >= MIN_STEM; i++) stem = stem.slice(0, -1);

  // -ir infinitives, but not -oir (pouvoir, devoir, espoir) nor -aire (salaire, scolaire).
  if (/[^ao]ir$/.test(stem) && stem.length - 2 >= 4) return stem.slice(0, -2);
  for (const { suffix, replacement, minStem } of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= minStem) {
      return yToI(stem.slice(0, -suffix.length) + replacement);
    }
  }
  return yToI(stem);
}

/** -yer verbs write i before a mute e: payer, paie, paiement → pai; employer, emploi → emploi. */
function yToI(stem: string): string {
  return stem.endsWith('y') && stem.length >= MIN_STEM ? `${stem.slice(0, -1)}i` : stem;
}

/**
 * Elided articles and pronouns (d'immatriculation, l'école, qu'on): the article says nothing about the
 * page, and "d" would count as a word of the query. Straight or curly apostrophe.
 */
const ELISION = /(?<![\p{L}\p{N}])(?:[cdjlmnst]|qu)['’](?=\p{L})/giu;

/**
 * The stems of a text's words, elisions and stop words left out: what the `stemmed` fields hold and
 * what the API searches with. Word order is kept, and sentence ends too (as '.'), so that
 * Meilisearch's proximity and phrase matching work on stems as on words.
 */
export function stemText(text: string): string {
  return text
    .replace(ELISION, '')
    .split(/[.!?;:\n]+/)
    .map((sentence) =>
      splitWords(sentence)
        .map(cachedStem)
        .filter((stem) => stem !== '')
        .join(' '),
    )
    .filter((sentence) => sentence !== '')
    .join('. ');
}

/**
 * A text has far fewer distinct words than words: each is folded and stemmed once ('' for a stop
 * word). Bounded, so that a crawl of many sites does not grow it without end.
 */
const stemCache = new Map<string, string>();
const STEM_CACHE_SIZE = 200_000;

/** The stem of one word as the index holds it, '' for a stop word; cached (see stemCache). */
export function wordStem(word: string): string {
  return cachedStem(word);
}

function cachedStem(word: string): string {
  let stem = stemCache.get(word);
  if (stem === undefined) {
    stem = isStopWord(word) ? '' : frenchStem(word);
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stemCache.set(word, stem);
  }
  return stem;
}

/**
 * The Meilisearch synonyms setting completed for stemmed queries: the API searches "cart gris" when
 * the user types "carte grise", so every key gets its stemmed form too. Targets stay as written: they
 * match the words of the pages. One-way entries stay one-way.
 */
export function withStemmedSynonyms(synonyms: Record<string, string[]>): Record<string, string[]> {
  const setting = new Map<string, Set<string>>();
  const add = (key: string, targets: readonly string[]) => {
    if (key === '') return;
    const set = setting.get(key) ?? new Set<string>();
    for (const target of targets) if (target !== '' && target !== key) set.add(target);
    setting.set(key, set);
  };
  for (const [key, targets] of Object.entries(synonyms)) {
    add(key, targets);
    add(stemText(key), targets);
  }
  return Object.fromEntries([...setting].map(([key, targets]) => [key, [...targets]]));
}
