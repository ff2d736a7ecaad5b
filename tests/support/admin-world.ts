import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { AdminDependencies } from '../../api/admin/admin-dependencies.ts';
import { QueryInsights } from '../../api/admin/query-insights.ts';
import { SourcesCatalog } from '../../api/admin/sources-catalog.ts';
import { createApp } from '../../api/app.ts';
import { PartnerDirectory } from '../../api/partner-directory.ts';
import { AdminTokens, sha256Hex } from '../../core/admin-tokens.ts';
import { silentLogger } from '../../core/logger.ts';
import type { Partner } from '../../core/partner.ts';
import type { Source } from '../../core/source.ts';
import { SourcesFileEditor } from '../../core/sources-file-editor.ts';
import { previewScope } from '../../crawler/scope-preview.ts';
import { ensureIndex } from '../../indexer/index-settings.ts';
import { CrawlStore } from '../../store/crawl-store.ts';
import { Recrawls } from '../../workflow/recrawls.ts';
import { saveCrawlReports } from '../../workflow/crawl-report-file.ts';
import { createUrlInspector } from '../../workflow/url-inspector.ts';
import { crawlAndIndex, testIndexerResources } from './crawl-and-index.ts';
import { testCrawlSettings } from './test-crawl.ts';
import { testMeiliClient, uniqueIndexUid } from './test-meilisearch.ts';

export const WRITE_TOKEN = 'pasadm_test-write-token-of-alice';
export const READ_TOKEN = 'pasadm_test-read-token-of-bob';

/**
 * The API with its admin side wired as api/main.ts wires it (real store, real sources file, real
 * Meilisearch, recrawls as real `npm run crawl` processes), on a DATA_DIR and index of its own.
 */
export async function anAdminWorld(
  sourcesYaml: string,
  options: { trustProxy?: boolean; partners?: readonly Partner[]; metricsToken?: string } = {},
) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-admin-'));
  const sourcesFile = path.join(dataDir, 'sources.yaml');
  await writeFile(sourcesFile, sourcesYaml);
  const indexUid = uniqueIndexUid('admin');
  const client = testMeiliClient();
  const resources = await testIndexerResources();
  await ensureIndex(client, indexUid, resources.settings);
  const hosts = { allowPrivateNetworks: true };
  const editor = new SourcesFileEditor(sourcesFile, { territories: resources.territories, hosts });
  const catalog = new SourcesCatalog(editor, await editor.read());
  const store = CrawlStore.open(path.join(dataDir, 'crawl', 'crawl.sqlite'));
  const clock = { now: new Date() };
  let runs = 0;
  const settings = testCrawlSettings();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    LOG_LEVEL: 'warn',
    MEILI_URL: inject('meiliUrl'),
    MEILI_MASTER_KEY: inject('meiliKey'),
    MEILI_INDEX: indexUid,
    DATA_DIR: dataDir,
    SOURCES_FILE: sourcesFile,
    CRAWL_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const admin: AdminDependencies = {
    tokens: new AdminTokens([
      { name: 'alice', rights: 'write', sha256: sha256Hex(WRITE_TOKEN) },
      { name: 'bob', rights: 'read', sha256: sha256Hex(READ_TOKEN) },
    ]),
    catalog,
    store,
    indexClient: client,
    reportsDir: path.join(dataDir, 'reports'),
    inspectUrl: createUrlInspector({
      sources: () => Promise.resolve(catalog.list),
      store,
      client,
      indexUid,
      settings,
    }),
    previewScope: (source, limit) => previewScope(source, { sources: catalog.list, settings, limit }),
    recrawler: new Recrawls({ env }),
    insights: new QueryInsights(store.queryCounts),
    now: () => clock.now,
  };
  const app = createApp({
    client,
    indexUid,
    get sources() {
      return catalog.list;
    },
    admin,
    resources,
    log: silentLogger(),
    trustProxy: options.trustProxy ?? false,
    ...(options.partners ? { partners: new PartnerDirectory(options.partners) } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
  });

  const call = async (
    method: string,
    route: string,
    { token, body, headers = {} }: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const response = await app.request(route, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parse(text), text };
  };

  return {
    app,
    admin,
    store,
    client,
    indexUid,
    dataDir,
    sourcesFile,
    env,
    clock,
    /** An admin request with alice's write token unless told otherwise. */
    asAlice: (method: string, route: string, body?: unknown) =>
      call(method, route, { token: WRITE_TOKEN, body }),
    asBob: (method: string, route: string, body?: unknown) =>
      call(method, route, { token: READ_TOKEN, body }),
    call,
    /** `npm run crawl` in this process, over the whitelist as it is now. */
    crawl: async (only?: readonly Source[]) => {
      const sources = await catalog.refresh();
      const reports = await crawlAndIndex({
        sources: only ?? sources,
        indexSources: sources,
        store,
        indexUid,
      });
      // As npm run crawl leaves them, for the sources' status (one file per run: distinct times).
      await saveCrawlReports(admin.reportsDir, reports, new Date(Date.now() + runs++));
      return reports;
    },
    search: async (query: string) => {
      const { body } = await call('GET', `/v1/search?q=${encodeURIComponent(query)}`);
      return (body as { hits: { url: string; promoted?: boolean; source: { id: string } }[] }).hits;
    },
    documentsOf: async (sourceId: string) =>
      (await client.index(indexUid).search('', { filter: `source.id = "${sourceId}"`, limit: 0 }))
        .estimatedTotalHits,
    close: async () => {
      await (admin.recrawler as Recrawls).stop();
      store.close();
    },
  };
}

export type AdminWorld = Awaited<ReturnType<typeof anAdminWorld>>;

/** A sources.yaml entry for a site served on 127.0.0.1, as YAML lines. */
export function siteEntry(id: string, origin: string, extra = ''): string {
  return `  - id: ${id}
    name: Source ${id}
    kind: collectivite
    url: ${origin}/
    territory: national
    crawl:
      requestsPerSecond: 50${extra}
`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
