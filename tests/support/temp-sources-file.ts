import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** Writes a sources file to a fresh temp directory, as a user would write sources.yaml. */
export async function writeTempSourcesFile(entries: unknown[] | string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pas-sources-'));
  const file = path.join(dir, 'sources.yaml');
  await writeFile(file, typeof entries === 'string' ? entries : stringify({ sources: entries }));
  return file;
}
