import { snippetSegments } from '../core/snippet-segments.ts';
import type { WidgetText } from './widget-text.ts';

export interface WidgetHit {
  url: string;
  title: string;
  snippet: string;
  source: { name: string };
  territory: { name: string };
  publishedAt: string | null;
  project?: { year: number | null; scheme: string | null; cost: number | null; grant: number | null };
  /** Pinned by the engine's admins for this query (a best bet). */
  promoted?: true;
}

/** Only web links: a `javascript:` URL in a hit would run in the partner's page when clicked. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * One hit as DOM nodes built with textContent only: a page whose text holds `<script>` or
 * `<img onerror>` shows those characters, and nothing is ever parsed as HTML in the partner's page.
 */
export function renderHit(hit: WidgetHit, text: WidgetText, owner: Document): HTMLLIElement {
  const item = owner.createElement('li');
  item.className = 'hit';
  const href = safeHref(hit.url);
  const title = owner.createElement(href ? 'a' : 'span');
  title.textContent = hit.title;
  if (href && title instanceof HTMLAnchorElement) {
    title.href = href;
    title.rel = 'noopener';
  }
  const meta = owner.createElement('p');
  meta.className = 'meta';
  const facts = [hit.source.name, hit.territory.name];
  // Said in words, not only by a colour: a pinned result is the admins' choice, not the ranking's.
  if (hit.promoted) {
    item.classList.add('promoted');
    facts.unshift(text.promoted);
  }
  // A project's date is its dataset's year (shown below), not a day it was published.
  if (hit.publishedAt && !hit.project)
    facts.push(`${text.published} ${new Date(hit.publishedAt).toLocaleDateString(text.locale)}`);
  if (hit.project) {
    const euros = (amount: number) => `${Math.round(amount).toLocaleString(text.locale)} €`;
    const { year, scheme, cost, grant } = hit.project;
    for (const fact of [
      year === null ? null : String(year),
      scheme,
      cost === null ? null : euros(cost),
      grant === null ? null : `→ ${euros(grant)}`,
    ]) {
      if (fact) facts.push(fact);
    }
  }
  meta.textContent = facts.join(' · ');
  const snippet = owner.createElement('p');
  snippet.className = 'snippet';
  for (const segment of snippetSegments(hit.snippet)) {
    if (segment.marked) {
      const mark = owner.createElement('mark');
      mark.textContent = segment.text;
      snippet.append(mark);
    } else snippet.append(owner.createTextNode(segment.text));
  }
  item.append(title, meta, snippet);
  return item;
}
