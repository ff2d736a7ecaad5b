import type { Meilisearch } from 'meilisearch';
import type { SearchDocument } from '../core/search-document.ts';
import { DEFAULT_BATCH_SIZE, indexDocuments } from './index-documents.ts';

/**
 * Collects documents as the crawler produces them and sends them to Meilisearch in batches, so a big
 * crawl neither holds every page in memory nor sends one request per page.
 */
export class DocumentBatcher {
  private pending: SearchDocument[] = [];
  private indexedCount = 0;

  constructor(
    private readonly client: Meilisearch,
    private readonly indexUid: string,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async add(document: SearchDocument): Promise<void> {
    this.pending.push(document);
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const result = await indexDocuments(this.client, this.indexUid, batch, this.batchSize);
    this.indexedCount += result.indexed;
  }

  get indexed(): number {
    return this.indexedCount;
  }
}
