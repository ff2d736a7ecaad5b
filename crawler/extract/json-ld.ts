/** What the extractor reads from a page's JSON-LD blocks. */
export interface JsonLdFacts {
  /** schema.org types of the page's entities, without any "https://schema.org/" prefix. */
  types: string[];
  datePublished?: string;
  dateModified?: string;
}

type JsonObject = Record<string, unknown>;

/** Entities nested under these keys describe the page itself (Yoast's @graph, a WebPage's mainEntity). */
const ENTITY_KEYS = ['@graph', 'mainEntity'] as const;
const MAX_DEPTH = 4;

/**
 * Pure: the types and dates of the entities described by `<script type="application/ld+json">`
 * blocks. A block that is not valid JSON is skipped: one broken plugin must not cost the page.
 */
export function readJsonLd(scriptTexts: readonly string[]): JsonLdFacts {
  const facts: JsonLdFacts = { types: [] };
  for (const scriptText of scriptTexts) {
    const parsed = parseLenient(scriptText);
    if (parsed !== undefined) collect(parsed, facts, 0);
  }
  return facts;
}

function collect(value: unknown, facts: JsonLdFacts, depth: number): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const entity of value) collect(entity, facts, depth + 1);
    return;
  }
  const entity = value as JsonObject;
  for (const type of typesOf(entity['@type'])) if (!facts.types.includes(type)) facts.types.push(type);
  facts.datePublished ??= firstString(entity.datePublished);
  facts.dateModified ??= firstString(entity.dateModified);
  for (const key of ENTITY_KEYS) collect(entity[key], facts, depth + 1);
}

function typesOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values
    .filter((type): type is string => typeof type === 'string')
    .map((type) => type.replace(/^(?:https?:\/\/schema\.org\/|schema:)/, ''));
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * CMS output is often not quite JSON: raw newlines inside strings, or the whole block wrapped in an
 * HTML comment or a CDATA section for old browsers. Those are repaired; anything else is given up.
 */
function parseLenient(scriptText: string): unknown {
  try {
    return JSON.parse(scriptText);
  } catch {
    const repaired = scriptText
      .replace(/^\s*(?:<!--|\/\/\s*<!\[CDATA\[|<!\[CDATA\[)/, '')
      .replace(/(?:-->|\/\/\s*\]\]>|\]\]>)\s*$/, '')
      // eslint-disable-next-line no-control-regex -- control characters are what breaks JSON.parse
      .replace(/[\u0000-\u001F]+/g, ' ');
    try {
      return JSON.parse(repaired);
    } catch {
      return undefined;
    }
  }
}
