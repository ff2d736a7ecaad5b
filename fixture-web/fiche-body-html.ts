import { escapeAttribute, escapeHtml } from './html-escape.ts';
import type { FicheElement, FicheNode } from './fiche-xml.ts';
import { attribute, collapseWhitespace, elementLabel, isElement, nodeText } from './fiche-xml.ts';
import {
  EMPTY_FICHE_LINK_LABEL,
  GUIDED_CHOICE_ELEMENTS,
  NON_CONTENT_ELEMENTS,
  NOTE_ELEMENTS,
  SERVICE_ELEMENTS,
  TITLED_SECTION_ELEMENTS,
} from './fiche-vocabulary.ts';

/** What the body renderer needs to know about the page it writes into. */
export interface FicheHtmlContext {
  /** Level of the next heading: chapters of a fiche are `<h2>`, their sub-chapters `<h3>`… */
  headingLevel: number;
  /** Where a link to another fiche points, or undefined when that fiche is not on the site. */
  ficheHref: (id: string) => string | undefined;
  /** Off-site links are plain text unless asked for, so no test or benchmark reaches the real web. */
  externalLinks: boolean;
}

const INLINE_TAGS: Record<string, string> = {
  MiseEnEvidence: 'strong',
  Expression: 'em',
  Exposant: 'sup',
  Indice: 'sub',
  Citation: 'q',
  TermeEtranger: 'i',
};

function heading(level: number, text: string): string {
  const tag = `h${Math.min(level, 6)}`;
  return `<${tag}>${escapeHtml(text)}</${tag}>`;
}

export function linkHtml(labelHtml: string, href: string | undefined, context: FicheHtmlContext): string {
  if (href === undefined) return labelHtml;
  const external = /^https?:/i.test(href);
  if (external && !context.externalLinks) return labelHtml;
  return `<a href="${escapeAttribute(href)}"${external ? ' rel="external"' : ''}>${labelHtml}</a>`;
}

function withoutTitle(element: FicheElement): FicheNode[] {
  return (element.children ?? []).filter((child) => !isElement(child) || child.name !== 'Titre');
}

function tableCell(cell: FicheElement, isHeader: boolean, context: FicheHtmlContext): string {
  const tag = isHeader ? 'th' : 'td';
  const rowspan = attribute(cell, 'fusionVerticale');
  const colspan = attribute(cell, 'fusionHorizontale');
  const spans =
    (rowspan ? ` rowspan="${escapeAttribute(rowspan)}"` : '') +
    (colspan ? ` colspan="${escapeAttribute(colspan)}"` : '');
  return `<${tag}${spans}>${renderFicheNodes(cell.children ?? [], context)}</${tag}>`;
}

function renderTable(table: FicheElement, context: FicheHtmlContext): string {
  const parts = table.children ?? [];
  const caption = parts.some((child) => isElement(child) && child.name === 'Titre')
    ? `<caption>${escapeHtml(elementLabel(table))}</caption>`
    : '';
  const rows = parts.filter((child): child is FicheElement => isElement(child) && child.name === 'Rangée');
  // Anything else (a `Resume` of the table, say) is prose about the table: shown just before it.
  const prose = parts.filter(
    (child) => !isElement(child) || (child.name !== 'Rangée' && child.name !== 'Titre'),
  );
  const rowsHtml = rows.map((row) => {
    const isHeader = attribute(row, 'type') === 'header';
    const cells = (row.children ?? []).filter(isElement).map((cell) => tableCell(cell, isHeader, context));
    return `<tr>${cells.join('')}</tr>`;
  });
  return `${renderFicheNodes(prose, context)}<table>${caption}${rowsHtml.join('\n')}</table>\n`;
}

function renderGuidedChoice(choice: FicheElement, context: FicheHtmlContext): string {
  const isChoice = (node: FicheNode) => isElement(node) && GUIDED_CHOICE_ELEMENTS.has(node.name);
  const rest = withoutTitle(choice);
  const subChoices = rest.filter(isChoice);
  const nested = subChoices.length > 0 ? `<ul>\n${renderFicheNodes(subChoices, context)}</ul>\n` : '';
  const label = `<p>${escapeHtml(elementLabel(choice))}</p>`;
  return `<li>${label}${renderFicheNodes(
    rest.filter((node) => !isChoice(node)),
    context,
  )}${nested}</li>\n`;
}

function renderElement(element: FicheElement, context: FicheHtmlContext): string {
  const { name } = element;
  if (NON_CONTENT_ELEMENTS.has(name)) return '';
  const children = (): string => renderFicheNodes(element.children ?? [], context);

  const inlineTag = INLINE_TAGS[name];
  if (inlineTag) return `<${inlineTag}>${children()}</${inlineTag}>`;
  if (TITLED_SECTION_ELEMENTS.has(name)) {
    const nested = { ...context, headingLevel: context.headingLevel + 1 };
    return `<section>${heading(context.headingLevel, elementLabel(element))}\n${renderFicheNodes(withoutTitle(element), nested)}</section>\n`;
  }
  if (NOTE_ELEMENTS.has(name)) {
    const label = elementLabel(element);
    const title = label ? `<p><strong>${escapeHtml(label)}</strong></p>\n` : '';
    return `<aside class="${name.toLowerCase()}">${title}${renderFicheNodes(withoutTitle(element), context)}</aside>\n`;
  }
  if (SERVICE_ELEMENTS.has(name)) {
    const label = escapeHtml(elementLabel(element));
    return label ? `<p class="service">${linkHtml(label, attribute(element, 'URL'), context)}</p>\n` : '';
  }
  if (GUIDED_CHOICE_ELEMENTS.has(name)) return renderGuidedChoice(element, context);
  switch (name) {
    case 'Problematiques':
      return `<ul class="recherche-guidee">\n${children()}</ul>\n`;
    case 'Paragraphe':
      return `<p>${children()}</p>\n`;
    case 'Liste':
      return attribute(element, 'type') === 'numero'
        ? `<ol>\n${children()}</ol>\n`
        : `<ul>\n${children()}</ul>\n`;
    case 'Item':
      return `<li>${children()}</li>\n`;
    case 'Tableau':
      return renderTable(element, context);
    case 'Introduction':
      return `<div class="introduction">\n${children()}</div>\n`;
    case 'Titre':
      // A title outside the structures above (rare: guided searches) reads as a lead-in line.
      return `<p><strong>${escapeHtml(collapseWhitespace(nodeText(element)))}</strong></p>\n`;
    case 'LienInterne': {
      const target = attribute(element, 'LienPublication');
      const label = nodeText(element).trim() === '' ? EMPTY_FICHE_LINK_LABEL : children();
      return linkHtml(label, target === undefined ? undefined : context.ficheHref(target), context);
    }
    case 'LienExterne':
      return linkHtml(children(), attribute(element, 'URL'), context);
    default:
      // Texte, BlocCas, Valeur, LienIntra (glossary), FragmentConditionne…: their content is the point.
      return children();
  }
}

export function renderFicheNodes(nodes: FicheNode[], context: FicheHtmlContext): string {
  let html = '';
  for (const node of nodes) html += isElement(node) ? renderElement(node, context) : escapeHtml(node.text);
  return html;
}
