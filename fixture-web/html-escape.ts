/**
 * Escaping for the two places fixture text lands in HTML. Fiche text comes from XML with entities
 * already decoded, so raw `<`, `>` and `&` do occur (e.g. "Communes < à 1 000 habitants").
 */
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&#39;' };

// Most text has nothing to escape; testing first avoids a replace per text node on large builds.
const TEXT_SPECIALS = /[&<>]/;
const ATTRIBUTE_SPECIALS = /[&<>"']/;

export function escapeHtml(text: string): string {
  if (!TEXT_SPECIALS.test(text)) return text;
  return text.replace(/[&<>]/g, (character) => TEXT_ESCAPES[character] ?? character);
}

export function escapeAttribute(value: string): string {
  if (!ATTRIBUTE_SPECIALS.test(value)) return value;
  return value.replace(/[&<>"']/g, (character) => ATTRIBUTE_ESCAPES[character] ?? character);
}
