import type { Meilisearch } from 'meilisearch';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { startEmbeddedMeilisearch } from './embedded-meilisearch.ts';
import { createMeiliClient, type MeiliClientOptions } from './meili-client.ts';

/** A Meilisearch to talk to: the one at MEILI_URL, or an embedded one this process started. */
export interface SearchEngine {
  client: Meilisearch;
  url: string;
  /** The master key the client uses (generated for an embedded one); none for a server without one. */
  masterKey: string | undefined;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function connectSearchEngine(
  config: Pick<Config, 'MEILI_URL' | 'MEILI_MASTER_KEY' | 'DATA_DIR'>,
  log: Logger,
  clientOptions: MeiliClientOptions = {},
): Promise<SearchEngine> {
  if (config.MEILI_URL) {
    return {
      client: createMeiliClient(config.MEILI_URL, config.MEILI_MASTER_KEY, clientOptions),
      url: config.MEILI_URL,
      masterKey: config.MEILI_MASTER_KEY,
      embedded: false,
      stop: () => Promise.resolve(),
    };
  }
  const embedded = await startEmbeddedMeilisearch({
    dataDir: config.DATA_DIR,
    masterKey: config.MEILI_MASTER_KEY,
    log,
  });
  return {
    client: createMeiliClient(embedded.url, embedded.masterKey, clientOptions),
    url: embedded.url,
    masterKey: embedded.masterKey,
    embedded: true,
    stop: () => embedded.stop(),
  };
}
