import type { BoilerplateContext } from './boilerplate.ts';
import { isBoilerplate } from './boilerplate.ts';
import { cleanText } from './clean-text.ts';
import type { DomNode } from './dom-node.ts';
import { innerText } from './dom-node.ts';

/** A run of text between two block boundaries, tagged with the block element that holds it. */
export interface ContentBlock {
  text: string;
  /** Name of the nearest enclosing block element: 'p', 'li', 'h2', 'td', 'div'… */
  tag: string;
}

/** A `<time>` with the words written just before it in the same block ("Publié le"). */
export interface LabelledTime {
  value: string;
  label: string;
}

export interface ContentWalk {
  blocks: ContentBlock[];
  times: LabelledTime[];
}

/** Elements that start a new line on screen: their text must not run into their neighbours'. */
const BLOCK_ELEMENTS = new Set(
  (
    'address article aside blockquote body caption center dd details dialog div dl dt fieldset ' +
    'figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol ' +
    'option p pre section summary table tbody td tfoot th thead tr ul'
  ).split(' '),
);
const SECTIONING = new Set(['article', 'section', 'main']);
/** Pathological nesting (broken generators) must not blow the stack; real pages stay far below. */
const MAX_DEPTH = 400;
/** How much of the text before a `<time>` may hold its label. */
const LABEL_WINDOW = 80;

interface WalkState {
  parts: string[];
  blocks: ContentBlock[];
  times: LabelledTime[];
}

/**
 * Pure: the content blocks under `root`, in document order, skipping site chrome. One recursive walk
 * over the parsed tree; nothing is removed from the document, subtrees are simply not entered.
 */
export function walkContent(root: DomNode, contentForms: BoilerplateContext['contentForms']): ContentWalk {
  const state: WalkState = { parts: [], blocks: [], times: [] };
  // The content root itself is never dropped; a chosen <main> or #content counts as a section.
  const inSection = root.type === 'tag' && root.name !== 'body' && root.name !== 'html';
  const tag = root.name ?? 'body';
  const nesting = { inSection, inArticle: root.name === 'article', contentForms };
  for (const child of root.children ?? []) visit(child, state, tag, nesting, 0);
  flush(state, tag);
  return { blocks: state.blocks, times: state.times };
}

function visit(
  node: DomNode,
  state: WalkState,
  blockTag: string,
  nesting: BoilerplateContext,
  depth: number,
): void {
  if (node.type === 'text') {
    if (node.data) state.parts.push(node.data);
    return;
  }
  if (node.type !== 'tag' || depth > MAX_DEPTH) return;
  const name = node.name ?? '';
  if (name === 'br') {
    state.parts.push(' ');
    return;
  }
  if (isBoilerplate(node, nesting)) {
    // A dropped inline element still separates the words on either side of it.
    state.parts.push(' ');
    return;
  }
  if (name === 'time') recordTime(node, state);
  if (!BLOCK_ELEMENTS.has(name)) {
    for (const child of node.children ?? []) visit(child, state, blockTag, nesting, depth + 1);
    return;
  }
  flush(state, blockTag);
  const childNesting = nestingInside(nesting, node, name);
  for (const child of node.children ?? []) visit(child, state, name, childNesting, depth + 1);
  flush(state, name);
}

function nestingInside(nesting: BoilerplateContext, node: DomNode, name: string): BoilerplateContext {
  const inArticle = nesting.inArticle || name === 'article';
  const inSection = nesting.inSection || inArticle || SECTIONING.has(name) || node.attribs?.role === 'main';
  // Most blocks change nothing: reuse the object rather than allocate one per element.
  if (inSection === nesting.inSection && inArticle === nesting.inArticle) return nesting;
  return { ...nesting, inSection, inArticle };
}

function flush(state: WalkState, tag: string): void {
  if (state.parts.length === 0) return;
  const text = cleanText(state.parts.join(''));
  state.parts.length = 0;
  if (text) state.blocks.push({ text, tag });
}

function recordTime(node: DomNode, state: WalkState): void {
  const value = node.attribs?.datetime ?? innerText(node);
  if (!value.trim()) return;
  state.times.push({ value, label: cleanText(state.parts.join('').slice(-LABEL_WINDOW)) });
}
