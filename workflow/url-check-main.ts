/**
 * `npm run url:check -- URL [--json]`: why a URL is (or is not) in the index, as the admin API's
 * `GET /v1/admin/urls` answers it. Exit codes: 0 indexed; 3 not indexed (the answer says why);
 * 1 failed; 2 usage or configuration error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { loadTerritoryRegistry } from '../core/territory-registry.ts';
import type { UrlInspection } from '../core/url-inspection.ts';
import { defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { createUrlInspector } from './url-inspector.ts';
import { exitCodeOf } from '../core/exit-code.ts';

const USAGE = `Usage: npm run url:check -- URL [--json]

Says whether URL is in the index and, if not, why: its source and the scope rule that decides,
what robots.txt says of it (read now, only on a source's host), the last crawl's visit (status,
date, canonical), and the document's state. --json prints the answer as the admin API gives it.
Exit 0 when indexed, 3 when not, 1 on a failure, 2 on a usage or configuration error.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [raw, ...extra] = positionals;
  if (!raw || extra.length > 0 || !URL.canParse(raw)) {
    console.error(`${raw ? `not one absolute URL: ${positionals.join(' ')}` : 'a URL is needed'}\n${USAGE}`);
    return 2;
  }
  const config = loadConfig(process.env);
  const territories = await loadTerritoryRegistry();
  const hosts = { allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS };
  // Fails here, naming the file, if the whitelist does not load: the crawl would not either.
  await loadSourcesFile(config.SOURCES_FILE, territories, hosts);
  await ensureWritableDataDir(config.DATA_DIR);
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  const engine = await connectSearchEngine(config, createLogger(config.LOG_LEVEL, 'url-check'));
  try {
    const inspect = createUrlInspector({
      sources: () => loadSourcesFile(config.SOURCES_FILE, territories, hosts),
      store,
      client: engine.client,
      indexUid: config.MEILI_INDEX,
      settings: {
        ...defaultCrawlSettings(config.CRAWL_USER_AGENT),
        allowPrivateNetworks: hosts.allowPrivateNetworks,
      },
    });
    const answer = await inspect(new URL(raw));
    console.log(values.json ? JSON.stringify(answer, null, 2) : formatInspection(answer));
    return answer.index.indexed ? 0 : 3;
  } finally {
    await engine.stop();
    store.close();
  }
}

function formatInspection(answer: UrlInspection): string {
  const fetch = answer.lastFetch;
  return [
    answer.url + (answer.checkedUrl === answer.url ? '' : ` (checked as ${answer.checkedUrl})`),
    `  source:    ${answer.source ? `${answer.source.id}${answer.source.enabled ? '' : ' (disabled)'}` : 'none'}`,
    `  scope:     ${answer.scope.inScope ? 'in' : 'OUT'}: ${answer.scope.rule}`,
    `  robots:    ${answer.robots.verdict}${answer.robots.rule ? ` (${answer.robots.rule})` : ''}: ${answer.robots.detail}`,
    `  last fetch: ${fetch ? `${fetch.at ?? 'not yet'}, ${fetch.outcome ?? 'queued'}${fetch.httpStatus ? `, HTTP ${fetch.httpStatus}` : ''}${fetch.error ? `, ${fetch.error}` : ''}` : 'never'}`,
    `  canonical: ${answer.canonical ?? 'none declared'}`,
    `  index:     ${answer.index.indexed ? 'INDEXED' : 'NOT INDEXED'}: ${answer.index.reason}`,
  ].join('\n');
}

try {
  process.exitCode = await main();
} catch (error) {
  process.exitCode = exitCodeOf(error, USAGE);
}
