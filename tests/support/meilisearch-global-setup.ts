import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { silentLogger } from '../../core/logger.ts';
import { startEmbeddedMeilisearch } from '../../meili/embedded-meilisearch.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    meiliUrl: string;
    meiliKey: string;
  }
}

/** Starts one real Meilisearch, on a free port with a throwaway data directory, for all test files. */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-test-meili-'));
  const meili = await startEmbeddedMeilisearch({
    dataDir,
    masterKey: 'test-master-key-0123456789',
    log: silentLogger(),
  });
  project.provide('meiliUrl', meili.url);
  project.provide('meiliKey', meili.masterKey);
  return async () => {
    await meili.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
