import { readFile } from 'node:fs/promises';
import { type Document, parseDocument, stringify } from 'yaml';
import { withFileLock } from './file-lock.ts';
import type { Source } from './source.ts';
import type { SourceHostRules } from './source-host.ts';
import { loadSourcesFile, parseSourcesFile } from './sources-file.ts';
import type { TerritoryRegistry } from './territory-registry.ts';
import { writeFileAtomically } from './write-file-atomically.ts';

/** How the file is written back: exactly as the `yaml` package read it (checked on sources.yaml). */
const WRITE_OPTIONS = { flowCollectionPadding: false, lineWidth: 0 } as const;

/**
 * Edits of a sources file that keep it the reviewed source of truth: each goes through the checks
 * `npm run crawl` and `sources:check` make (every field, duplicates, territories against the
 * official list, hosts), and is written back through the `yaml` package's Document API, so that
 * comments and order survive. Two edits, from this process or another, never lose one another:
 * each takes the file's lock, then reads the file as it is now, changes it, and writes it (whole,
 * atomically) before letting the next one in.
 */
export class SourcesFileEditor {
  constructor(
    readonly file: string,
    private readonly rules: { territories: TerritoryRegistry; hosts: SourceHostRules },
    private readonly options: { lockTimeoutMs?: number } = {},
  ) {}

  /** The sources as the file says now. */
  read(): Promise<Source[]> {
    return loadSourcesFile(this.file, this.rules.territories, this.rules.hosts);
  }

  /** One entry checked as the file's would be (a source previewed before it is added). */
  validateEntry(entry: Record<string, unknown>): Source {
    const [source] = parseSourcesFile(
      stringify({ sources: [entry] }),
      'request',
      this.rules.territories,
      this.rules.hosts,
    );
    return source!;
  }

  /**
   * Applies `change` to the file's current YAML document and writes it if the result is valid;
   * throws SourcesFileError (nothing written) if it is not. Returns what `change` returned and the
   * sources after the edit.
   */
  async edit<T>(
    purpose: string,
    change: (document: Document) => T,
  ): Promise<{ result: T; sources: Source[] }> {
    return withFileLock(
      this.file,
      purpose,
      async () => {
        const text = await readFile(this.file, 'utf8');
        const document = parseDocument(text, { uniqueKeys: true });
        if (document.errors.length > 0) {
          // The file on disk is broken (a bad merge): say so the way the crawl would, write nothing.
          parseSourcesFile(text, this.file, this.rules.territories, this.rules.hosts);
        }
        const result = change(document);
        const edited = document.toString(WRITE_OPTIONS);
        const sources = parseSourcesFile(edited, this.file, this.rules.territories, this.rules.hosts);
        await writeFileAtomically(this.file, edited);
        return { result, sources };
      },
      this.options.lockTimeoutMs === undefined ? {} : { timeoutMs: this.options.lockTimeoutMs },
    );
  }
}
