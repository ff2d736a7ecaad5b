/**
 * `npm run sources:check [-- FILE]`: validates a sources file as the crawl loads it and prints every
 * problem. Exit 0 when valid, 1 when invalid, 2 on a usage or configuration error.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { AppError, ConfigError, SourcesFileError } from './errors.ts';
import { loadSourcesFile } from './sources-file.ts';
import { loadTerritoryRegistry } from './territory-registry.ts';
import { isParseArgsError } from './parse-args-error.ts';

const USAGE = `Usage: npm run sources:check [-- FILE]

Checks a sources file as \`npm run crawl\` loads it: every field, duplicate ids and URLs, territory
codes against the official list, and hosts. FILE defaults to SOURCES_FILE, else sources.yaml.
A source given as an IP address or localhost is refused unless CRAWL_ALLOW_PRIVATE_NETWORKS=true
(only for a test web on this machine).
Exit 0 when valid, 1 when invalid (each problem printed with the file, the source and the
field), 2 on a usage or configuration error.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`one file at most, got ${positionals.length}`);
  const config = loadConfig(process.env);
  const file = positionals[0] ?? config.SOURCES_FILE;
  // The same checks as the crawl: a file this accepts is one the crawl accepts.
  const sources = await loadSourcesFile(file, await loadTerritoryRegistry(), {
    allowPrivateNetworks: config.CRAWL_ALLOW_PRIVATE_NETWORKS,
  });
  const enabled = sources.filter((source) => source.enabled).length;
  console.log(`${file}: ${sources.length} sources, ${enabled} enabled. OK.`);
  return 0;
}

class UsageError extends Error {}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof SourcesFileError) {
    console.error(error.message);
    process.exitCode = 1;
  } else if (error instanceof UsageError || isParseArgsError(error)) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
