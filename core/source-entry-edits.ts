import { type Document, isMap, isScalar, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import { NotFoundError } from './errors.ts';

/** A source entry as written in sources.yaml, before defaults: what an admin sends and the file keeps. */
export type SourceEntry = { id: string } & Record<string, unknown>;

/**
 * Changes to one entry of a sources file's YAML document, in place: every other node, comment and
 * blank line stays as it was, so the change reads in git as the few lines it is.
 */
export function sourcesList(document: Document): YAMLSeq {
  const list = document.get('sources', true);
  if (!isSeq(list)) throw new Error("the sources file has no 'sources:' list");
  return list;
}

/** The entry's node; NotFoundError when no entry has this id. */
export function entryNode(document: Document, id: string): YAMLMap {
  const node = sourcesList(document).items.find((item) => isMap(item) && item.get('id') === id);
  if (!node) throw new NotFoundError('source', id);
  return node as YAMLMap;
}

/** The entry as plain data (what the audit log records as before and after). */
export function entryOf(document: Document, id: string): SourceEntry {
  return entryNode(document, id).toJSON() as SourceEntry;
}

/** Appends an entry at the end of the list. */
export function appendEntry(document: Document, entry: SourceEntry): void {
  sourcesList(document).add(document.createNode(entry));
}

/**
 * Applies a JSON merge patch (RFC 7386) to an entry: objects merge, `null` removes a field, any
 * other value replaces it. A scalar replaced by a scalar keeps its node, and so the comment on its
 * line (`url: https://… # a host name`).
 */
export function patchEntry(document: Document, id: string, patch: Record<string, unknown>): void {
  mergeInto(document, entryNode(document, id), patch);
}

function mergeInto(document: Document, map: YAMLMap, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    const current = map.get(key, true);
    if (value === null) map.delete(key);
    else if (isPlainObject(value) && isMap(current)) mergeInto(document, current, value);
    else if (isScalar(current) && !isPlainObject(value) && !Array.isArray(value)) current.value = value;
    else map.set(key, document.createNode(value));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
