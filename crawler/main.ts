/**
 * `npm run crawl -- [--sources FILE] [--source ID]...`: crawls the trusted sources and indexes them.
 * Exit codes: 0 done, 1 failed, 2 invalid configuration (nothing is crawled).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { AppError, ConfigError, SourcesFileError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { loadSourcesFile } from '../core/sources-file.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { formatReport } from './crawl-report.ts';
import { runCrawl } from './run-crawl.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { sources: { type: 'string' }, source: { type: 'string', multiple: true } },
    strict: true,
  });
  const config = loadConfig(process.env);
  const file = values.sources ?? config.SOURCES_FILE;
  const allSources = await loadSourcesFile(file);
  const wanted = values.source ?? [];
  const unknown = wanted.filter((id) => !allSources.some((source) => source.id === id));
  if (unknown.length > 0) {
    throw new SourcesFileError(unknown.map((id) => ({ file, entry: id, message: 'no source with this id' })));
  }
  const sources = wanted.length > 0 ? allSources.filter((source) => wanted.includes(source.id)) : allSources;

  const log = createLogger(config.LOG_LEVEL, 'crawler');
  const engine = await connectSearchEngine(config, log);
  try {
    const reports = await runCrawl({
      sources,
      client: engine.client,
      indexUid: config.MEILI_INDEX,
      userAgent: config.CRAWL_USER_AGENT,
      log,
    });
    for (const report of reports) console.log(formatReport(report));
    return 0;
  } finally {
    await engine.stop();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof SourcesFileError || error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (isUsageError(error)) {
    console.error(`${error.message}\nUsage: npm run crawl -- [--sources FILE] [--source ID]...`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}

function isUsageError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}
