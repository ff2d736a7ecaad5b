/**
 * The few fields of a parsed node the extractor reads. Declared structurally rather than imported
 * from domhandler (a dependency of htmlparser2, not one of ours): the tree htmlparser2 builds
 * satisfies it as is, and walking it directly is much cheaper than running CSS selectors.
 */
export interface DomNode {
  /** 'tag', 'script', 'style', 'text', 'comment', 'root'… */
  type: string;
  /** Lowercase element name ('script' and 'style' elements have their own `type`). */
  name?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  /** The (entity-decoded) text of a text node. */
  data?: string;
}

/** Script and style elements are elements too, they only have a type of their own. */
export function isElement(node: DomNode): boolean {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function attribute(node: DomNode, name: string): string | undefined {
  return node.attribs?.[name];
}

/** The text of a small subtree (a title, an anchor, a script), without any separator between blocks. */
export function innerText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  let text = '';
  for (const child of node.children ?? []) text += innerText(child);
  return text;
}
