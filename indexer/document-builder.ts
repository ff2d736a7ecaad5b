import type { SearchDocument } from '../core/search-document.ts';
import type { Source } from '../core/source.ts';
import type { PendingDocument } from '../store/document-store.ts';
import type { IndexerResources } from './indexer-resources.ts';
import { toSearchDocument } from './to-search-document.ts';

/** What a pending change becomes in the index. */
export type IndexChange =
  | { kind: 'upsert'; document: SearchDocument }
  | { kind: 'delete' }
  /**
   * Not sent, and left pending: its source is not among the sources given (a crawl of some sources
   * only, a sources file of one's own) or no longer enabled. A source missing from this run never
   * means "delete": only the store says what is deleted (a page gone, a source retired).
   */
  | { kind: 'wait'; reason: 'unknown-source' | 'unknown-territory' };

export interface DocumentBuilderOptions {
  sources: readonly Source[];
  resources: Pick<IndexerResources, 'territories' | 'taxonomy'>;
  now?: () => Date;
}

/** Builds the index change of each pending document, with its source's metadata. */
export function documentBuilder(options: DocumentBuilderOptions) {
  const sourcesById = new Map(
    options.sources.filter((source) => source.enabled).map((source) => [source.id, source]),
  );
  const now = options.now?.() ?? new Date();
  return (pending: Pick<PendingDocument, 'page' | 'sourceId'>): IndexChange => {
    if (!pending.page) return { kind: 'delete' };
    const source = sourcesById.get(pending.sourceId);
    if (!source) return { kind: 'wait', reason: 'unknown-source' };
    // A dataset row is about its beneficiary's territory, not its source's (national for the DGCL).
    const territory = options.resources.territories.resolve(pending.page.territory ?? source.territory);
    if (!territory) return { kind: 'wait', reason: 'unknown-territory' };
    const document = toSearchDocument(pending.page, {
      source,
      territory,
      taxonomy: options.resources.taxonomy,
      now,
    });
    return { kind: 'upsert', document };
  };
}

/** The documents to add of a list of pending changes (the eval and benchmarks build them ahead). */
export function searchDocumentsOf(
  build: ReturnType<typeof documentBuilder>,
  pending: readonly Pick<PendingDocument, 'page' | 'sourceId'>[],
): SearchDocument[] {
  return pending.flatMap((change) => {
    const built = build(change);
    return built.kind === 'upsert' ? [built.document] : [];
  });
}
