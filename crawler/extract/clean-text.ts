// eslint-disable-next-line no-control-regex -- removing them is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// eslint-disable-next-line no-control-regex -- same class, without the global flag, for a cheap test
const HAS_CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** Runs of white space other than a lone plain space: those are the only ones worth rewriting. */
const WHITE_SPACE_RUN = /[^\S ]\s*| \s+/g;

/**
 * Collapses white space and removes control characters (they would corrupt snippets). Runs on every
 * block of every page, hence the two shortcuts: control characters are rare, and a single space
 * needs no replacing; together they halve the cost of the obvious `replace(/\s+/g, ' ')`.
 */
export function cleanText(text: string): string {
  const withoutControls = HAS_CONTROL_CHARACTER.test(text) ? text.replace(CONTROL_CHARACTERS, '') : text;
  return withoutControls.replace(WHITE_SPACE_RUN, ' ').trim();
}
