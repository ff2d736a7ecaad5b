import { calendarDate } from './iso-date.ts';

/** Month names without accents: a written month is matched on its accent-free prefix. */
const MONTHS = [
  'janvier',
  'fevrier',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'aout',
  'septembre',
  'octobre',
  'novembre',
  'decembre',
] as const;

const WEEKDAY = '(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\\.?,?\\s+';
const MONTH_WORD = '[a-zàâäçéèêëîïôöûùü]{3,9}\\.?';

/**
 * A French date as written in page text, as a regular expression source without capturing groups so
 * other patterns can embed it: "12 mars 2024", "mardi 1er avril 2023", "5 janv. 2021", "03/02/2022",
 * "03.02.2022", and the ISO "2022-02-03" some CMS print as is.
 */
export const FRENCH_DATE_SOURCE =
  `(?:${WEEKDAY})?(?:\\d{1,2}(?:er|ᵉʳ|e)?\\s+${MONTH_WORD}\\s+\\d{4}` +
  `|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}|\\d{4}-\\d{2}-\\d{2})(?!\\d)`;

const PARSED_DATE = new RegExp(
  `^\\s*(?:le\\s+)?(?:${WEEKDAY})?(?:(\\d{1,2})(?:er|ᵉʳ|e)?\\s+(${MONTH_WORD})\\s+(\\d{4})` +
    `|(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})|(\\d{4})-(\\d{2})-(\\d{2}))(?!\\d)`,
  'i',
);

/**
 * Pure: the date a French text starts with, as 'YYYY-MM-DD', or null when there is none or it does
 * not exist (31 avril, 29/02/2023). Numeric dates are day first, the French way. Text after the date
 * ("à 10h30") is ignored.
 */
export function parseFrenchDate(text: string): string | null {
  const match = PARSED_DATE.exec(text);
  if (!match) return null;
  const [, day, monthWord, year, numericDay, numericMonth, numericYear, isoYear, isoMonth, isoDay] = match;
  if (monthWord !== undefined) {
    const month = monthNumber(monthWord);
    return month === null ? null : calendarDate(Number(year), month, Number(day));
  }
  if (numericDay !== undefined) {
    return calendarDate(Number(numericYear), Number(numericMonth), Number(numericDay));
  }
  return calendarDate(Number(isoYear), Number(isoMonth), Number(isoDay));
}

/**
 * 1-12 for a month name, full or abbreviated, with or without accents ("févr.", "fevrier", "aoû",
 * "sept"); null when the word is no month or is ambiguous ("jui" could be juin or juillet).
 */
export function monthNumber(word: string): number | null {
  const normalized = word
    .normalize('NFD')
    .replace(/[\u0300-\u036f.]/g, '')
    .toLowerCase();
  if (normalized.length < 3) return null;
  const candidates = MONTHS.flatMap((month, index) => (month.startsWith(normalized) ? [index + 1] : []));
  return candidates.length === 1 ? (candidates[0] ?? null) : null;
}
