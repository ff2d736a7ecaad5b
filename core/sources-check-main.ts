/**
 * `npm run sources:check [-- FILE]`: validates a sources file and prints every problem.
 * Exit 0 when valid, 1 when invalid.
 */
import { SourcesFileError } from './errors.ts';
import { loadSourcesFile } from './sources-file.ts';

const file = process.argv[2] ?? process.env.SOURCES_FILE ?? 'sources.yaml';
try {
  const sources = await loadSourcesFile(file);
  const enabled = sources.filter((source) => source.enabled).length;
  console.log(`${file}: ${sources.length} sources, ${enabled} enabled. OK.`);
} catch (error) {
  if (!(error instanceof SourcesFileError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
