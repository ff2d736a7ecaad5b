import type { Document } from 'yaml';
import type { Source } from '../../core/source.ts';
import type { SourcesFileEditor } from '../../core/sources-file-editor.ts';

/**
 * The whitelist as the API serves it: the sources file's current content, followed as admins edit
 * it through the API (and re-read whenever an admin lists the sources, so that a change merged in
 * git shows there too). `/v1/sources` and the search's source filter read `list`.
 */
export class SourcesCatalog {
  private current: readonly Source[];

  constructor(
    private readonly editor: SourcesFileEditor,
    initial: readonly Source[],
  ) {
    this.current = initial;
  }

  get file(): string {
    return this.editor.file;
  }

  get list(): readonly Source[] {
    return this.current;
  }

  /** Re-reads the file; keeps the last good list when it does not load (the error is thrown). */
  async refresh(): Promise<readonly Source[]> {
    this.current = await this.editor.read();
    return this.current;
  }

  /** Edits the file (see SourcesFileEditor.edit) and serves the sources it now lists. */
  async edit<T>(purpose: string, change: (document: Document) => T): Promise<T> {
    const { result, sources } = await this.editor.edit(purpose, change);
    this.current = sources;
    return result;
  }

  /** An entry checked as the file's would be, without writing it (a source previewed before it is added). */
  validateEntry(entry: Record<string, unknown>): Source {
    return this.editor.validateEntry(entry);
  }

  get(id: string): Source | undefined {
    return this.current.find((source) => source.id === id);
  }
}
