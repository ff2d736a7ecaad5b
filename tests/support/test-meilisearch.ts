import { randomUUID } from 'node:crypto';
import type { Meilisearch } from 'meilisearch';
import { inject } from 'vitest';
import { createMeiliClient } from '../../meili/meili-client.ts';

/** A client of the real Meilisearch started by the global setup. */
export function testMeiliClient(): Meilisearch {
  return createMeiliClient(inject('meiliUrl'), inject('meiliKey'));
}

/** A fresh index uid per test file or test, so tests never see each other's documents. */
export function uniqueIndexUid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
