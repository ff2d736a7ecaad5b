import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CrawlSettings, defaultCrawlSettings } from '../../crawler/crawl-settings.ts';
import { CrawlStore } from '../../store/crawl-store.ts';

/** Production settings, except what a fixture web on 127.0.0.1 and a fast test need. */
export function testCrawlSettings(overrides: Partial<CrawlSettings> = {}): CrawlSettings {
  return {
    ...defaultCrawlSettings('pas-test/1.0 (+https://example.org/bot)'),
    allowPrivateNetworks: true,
    robotsRetryDelaysMs: [20, 20],
    maxBackOffMs: 2_000,
    ...overrides,
    fetchLimits: { ...defaultCrawlSettings('').fetchLimits, ...overrides.fetchLimits },
  };
}

/** A crawl store in a fresh temp directory; `file` to reopen it as a restarted crawl would. */
export async function tempCrawlStore(): Promise<{ store: CrawlStore; file: string }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'pas-crawl-')), 'crawl.sqlite');
  return { store: CrawlStore.open(file), file };
}
