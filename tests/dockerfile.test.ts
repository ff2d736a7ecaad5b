import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No Docker engine runs where the tests run, so the image is checked by reading: every file the
 * processes it runs import must be copied into it (the image once lacked store/ and workflow/, and
 * could not start).
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const ENTRY_POINTS = ['api/main.ts', 'workflow/crawl-main.ts', 'workflow/worker-main.ts'];

/** The project files `entry` needs, following relative imports (static and dynamic). */
function projectFilesImportedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
      if (/\.tsx?$/.test(target)) visit(target);
    }
  };
  visit(entry);
  return seen;
}

function copiedPaths(): string[] {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  return [...dockerfile.matchAll(/^COPY\s+(.+)$/gm)].flatMap((line) => {
    const parts = line[1]!.trim().split(/\s+/);
    return parts.slice(0, -1);
  });
}

describe('the container image', () => {
  it.each(ENTRY_POINTS)('holds every project file that %s imports', (entry) => {
    const copied = copiedPaths();
    const missing = [...projectFilesImportedBy(entry)].filter(
      (file) => !copied.some((source) => file === source || file.startsWith(`${source.replace(/\/$/, '')}/`)),
    );
    expect(missing).toEqual([]);
  });
});
