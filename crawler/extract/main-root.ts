import type { DomNode } from './dom-node.ts';
import type { RootCandidates } from './document-scan.ts';
import { CONTENT_IDS } from './document-scan.ts';

/**
 * The element holding the page's own content. Semantic landmarks first, then conventions; several
 * `<article>`s (a listing) or several `.content` blocks (cards) say nothing about where the content
 * is, so only a lone one is trusted. Falls back to `<body>`, then to the whole document (htmlparser2
 * does not invent a `<body>` when the page has none).
 */
export function chooseMainRoot(roots: RootCandidates, documentRoot: DomNode): DomNode {
  if (roots.main) return roots.main;
  if (roots.roleMain) return roots.roleMain;
  if (roots.articles.length === 1 && roots.articles[0]) return roots.articles[0];
  if (roots.skipTarget) return roots.skipTarget;
  for (const id of CONTENT_IDS) {
    const element = roots.byId.get(id);
    if (element) return element;
  }
  if (roots.contentClass.length === 1 && roots.contentClass[0]) return roots.contentClass[0];
  return roots.body ?? documentRoot;
}
