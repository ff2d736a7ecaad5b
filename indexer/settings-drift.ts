import type { Meilisearch, Settings } from 'meilisearch';

/**
 * Settings whose lists are read in order by Meilisearch (weights, rule order, locale rules); every
 * other list (stop words, filterable attributes, a synonym's words…) is a set, which Meilisearch
 * hands back sorted its own way.
 */
const ORDERED_SETTINGS: ReadonlySet<string> = new Set([
  'searchableAttributes',
  'rankingRules',
  'localizedAttributes',
]);

/**
 * The names of the index settings in `wanted` (the code's, index-settings.ts) that the live index
 * does not have, e.g. `['rankingRules', 'synonyms']`; none when they match. Reading the settings is
 * not a task, so this answers at once even while Meilisearch's task queue is busy (the API checks
 * at start-up, without changing anything: see README, "Settings in code").
 *
 * Meilisearch hands settings back with its defaults filled in (`typoTolerance.disableOnWords`, an
 * embedder's inferred fields), so only what `wanted` says is compared; `null` in `wanted` (an
 * embedder removed) means absent from the index. Text is compared in Unicode NFC: Meilisearch
 * hands some stop words back decomposed ("à" as "a" + accent). An embedder's `apiKey` is not
 * compared: Meilisearch only ever shows it masked.
 */
export async function settingsDrift(
  client: Meilisearch,
  indexUid: string,
  wanted: Settings,
): Promise<string[]> {
  const live = (await client.index(indexUid).getSettings()) as Record<string, unknown>;
  return Object.entries(wanted)
    .filter(([name, value]) => value !== undefined && !covers(live[name], value, ORDERED_SETTINGS.has(name)))
    .map(([name]) => name);
}

/** Whether `live` says at least what `wanted` says. */
function covers(live: unknown, wanted: unknown, ordered: boolean): boolean {
  if (wanted === null) return live === null || live === undefined;
  if (Array.isArray(wanted)) {
    const wantedList = wanted as unknown[];
    if (!Array.isArray(live) || live.length !== wantedList.length) return false;
    const liveList = live as unknown[];
    if (ordered) return liveList.every((value, index) => covers(value, wantedList[index], false));
    const [left, right] = [liveList.map(canonical).sort(), wantedList.map(canonical).sort()];
    return left.every((value, index) => value === right[index]);
  }
  if (typeof wanted === 'object') {
    if (typeof live !== 'object' || live === null || Array.isArray(live)) return false;
    const liveObject = live as Record<string, unknown>;
    return Object.entries(wanted).every(
      ([key, value]) => value === undefined || key === 'apiKey' || covers(liveObject[key], value, false),
    );
  }
  return typeof live === 'string' && typeof wanted === 'string'
    ? live.normalize('NFC') === wanted.normalize('NFC')
    : live === wanted;
}

/** A value as text with object keys sorted and lists as sets, so that equal settings compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
    return `{${entries
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`)
      .join(',')}}`;
  }
  return JSON.stringify(typeof value === 'string' ? value.normalize('NFC') : value);
}
