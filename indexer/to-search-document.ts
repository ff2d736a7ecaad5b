import type { RawPage } from '../core/raw-page.ts';
import {
  contentHash,
  documentIdForUrl,
  MAX_CONTENT_LENGTH,
  type SearchDocument,
} from '../core/search-document.ts';
import type { Source } from '../core/source.ts';

/** Pure: the document indexed for a crawled page of a source. */
export function toSearchDocument(page: RawPage, source: Source): SearchDocument {
  return {
    id: documentIdForUrl(page.url),
    url: page.url,
    title: page.title || page.url,
    description: page.description,
    content: page.text.slice(0, MAX_CONTENT_LENGTH),
    source: { id: source.id, name: source.name, kind: source.kind },
    territory: source.territory,
    lang: page.lang,
    crawledAt: page.fetchedAt,
    contentHash: contentHash(`${page.title}\n${page.description}\n${page.text}`),
  };
}
