import type { FicheSection } from './fiche-sections.ts';
import { ficheMetadata, ficheSections } from './fiche-sections.ts';
import type { Fiche } from './fiche-source.ts';
import type { FicheNode } from './fiche-xml.ts';
import { collapseWhitespace, elementLabel, isElement, nodeText } from './fiche-xml.ts';
import {
  EMPTY_FICHE_LINK_LABEL,
  GUIDED_CHOICE_ELEMENTS,
  INLINE_ELEMENTS,
  NON_CONTENT_ELEMENTS,
  NOTE_ELEMENTS,
  SERVICE_ELEMENTS,
  TITLED_SECTION_ELEMENTS,
} from './fiche-vocabulary.ts';

/** The words a fiche page shows, as a test or an extraction check would want to compare them. */
export interface FicheText {
  title: string;
  description: string;
  /**
   * Every heading, paragraph, list item, table cell and link label of the page body, one block per
   * line, whitespace collapsed. The `<h1>`, the date line and the site chrome are not included.
   */
  body: string;
}

/** Elements whose `Titre` is shown as a line of its own before their content. */
function hasTitleLine(name: string): boolean {
  return (
    TITLED_SECTION_ELEMENTS.has(name) ||
    NOTE_ELEMENTS.has(name) ||
    GUIDED_CHOICE_ELEMENTS.has(name) ||
    name === 'Tableau'
  );
}

/** Text with a newline wherever the page starts a new block, so words of two blocks never merge. */
function nodesText(nodes: FicheNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (!isElement(node)) {
      text += node.text;
      continue;
    }
    const { name } = node;
    if (NON_CONTENT_ELEMENTS.has(name)) continue;
    if (name === 'LienInterne' && nodeText(node).trim() === '') {
      text += EMPTY_FICHE_LINK_LABEL;
    } else if (INLINE_ELEMENTS.has(name)) {
      text += nodesText(node.children ?? []);
    } else if (SERVICE_ELEMENTS.has(name)) {
      text += `\n${elementLabel(node)}\n`;
    } else if (hasTitleLine(name)) {
      const body = (node.children ?? []).filter((child) => !isElement(child) || child.name !== 'Titre');
      text += `\n${elementLabel(node)}\n${nodesText(body)}\n`;
    } else {
      text += `\n${nodesText(node.children ?? [])}\n`;
    }
  }
  return text;
}

function sectionText(section: FicheSection): string {
  if (section.kind === 'links') {
    return [section.heading, ...section.links.map((link) => link.label)].join('\n');
  }
  return `${section.heading ?? ''}\n${nodesText(section.nodes)}`;
}

/** Pure: reads nothing but the fiche, so tests can state what a rendered page must contain. */
export function ficheText(fiche: Fiche): FicheText {
  const { title, description } = ficheMetadata(fiche);
  const lines = ficheSections(fiche)
    .map(sectionText)
    .join('\n')
    .split('\n')
    .map(collapseWhitespace)
    .filter((line) => line !== '');
  return { title, description, body: lines.join('\n') };
}
