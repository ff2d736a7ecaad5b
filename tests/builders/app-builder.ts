import type { Meilisearch } from 'meilisearch';
import { type AppDependencies, createApp } from '../../api/app.ts';
import { type BrowserAssets, buildBrowserAssets } from '../../api/browser-assets.ts';
import { silentLogger } from '../../core/logger.ts';
import { loadIndexerResources } from '../../indexer/indexer-resources.ts';
import { aSource } from './source-builder.ts';

let assets: Promise<BrowserAssets> | undefined;

/** The page's and the widget's scripts, bundled once per test file. */
export function testBrowserAssets(): Promise<BrowserAssets> {
  assets ??= buildBrowserAssets();
  return assets;
}

/** The real API over `client` and `indexUid`, with one source and silent logs unless overridden. */
export async function anApp(
  client: Meilisearch,
  indexUid: string,
  overrides: Partial<AppDependencies> = {},
): Promise<ReturnType<typeof createApp>> {
  return createApp({
    client,
    indexUid,
    sources: [aSource()],
    resources: await loadIndexerResources(),
    log: silentLogger(),
    assets: await testBrowserAssets(),
    ...overrides,
  });
}
