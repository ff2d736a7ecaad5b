import { copyFile, cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { TASK_TIMEOUT_MS } from '../meili/meili-client.ts';
import type { CrawlStore } from '../store/crawl-store.ts';

/** What a backup holds, written next to it: `npm run restore` reads it back. */
export const BackupManifestSchema = z
  .object({
    createdAt: z.iso.datetime(),
    indexUid: z.string(),
    /** The copy of the crawl store, taken with SQLite's backup API. */
    store: z.literal('crawl.sqlite'),
    meilisearch: z.object({
      dumpUid: z.string(),
      /** The dump file in the backup, when Meilisearch's dump directory could be read (embedded). */
      file: z.string().nullable(),
    }),
    reports: z.boolean(),
  })
  .strict();
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

export class BackupError extends AppError {
  readonly code = 'backup_failed';
}

/**
 * A backup of a DATA_DIR's state: a Meilisearch dump (documents, settings, keys) and a consistent
 * copy of the crawl store, taken under the store's writer lock (the caller holds it) so that the two
 * describe the same moment, plus the crawl reports. `dumpDir`: where Meilisearch writes its dumps,
 * when this process can read it (the embedded one); otherwise the dump stays on the server.
 */
export async function takeBackup(options: {
  store: CrawlStore;
  client: Meilisearch;
  indexUid: string;
  dataDir: string;
  dumpDir: string | null;
  to: string;
  now?: () => Date;
  log: Logger;
}): Promise<BackupManifest> {
  const { to } = options;
  await mkdir(to, { recursive: true });
  const task = await awaitTask(options.client, options.client.createDump(), TASK_TIMEOUT_MS);
  const dumpUid = (task.details as { dumpUid?: string } | undefined)?.dumpUid;
  if (!dumpUid) throw new BackupError(`Meilisearch task ${task.uid} made no dump`);
  let file: string | null = null;
  if (options.dumpDir) {
    file = `${dumpUid}.dump`;
    // Moved, not copied: a dump is as large as the index, and the server keeps no use for it.
    await rename(path.join(options.dumpDir, file), path.join(to, file)).catch(async () => {
      await copyFile(path.join(options.dumpDir!, file!), path.join(to, file!));
      await rm(path.join(options.dumpDir!, file!), { force: true });
    });
  }
  await options.store.backupTo(path.join(to, 'crawl.sqlite'));
  const reports = await exists(path.join(options.dataDir, 'reports'));
  if (reports) await cp(path.join(options.dataDir, 'reports'), path.join(to, 'reports'), { recursive: true });
  const manifest: BackupManifest = {
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    indexUid: options.indexUid,
    store: 'crawl.sqlite',
    meilisearch: { dumpUid, file },
    reports,
  };
  await writeFile(path.join(to, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  options.log.info({ to, dumpUid }, 'backup taken');
  return manifest;
}

export async function readManifest(from: string): Promise<BackupManifest> {
  const file = path.join(from, 'manifest.json');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new BackupError(`${file}: no backup manifest here (npm run backup writes one)`);
  });
  const parsed = BackupManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new BackupError(`${file}: not a backup manifest: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Puts a backup's crawl store and reports in place in `dataDir`. What was there is kept aside
 * (`*.before-restore-<time>`), never deleted: a restore must not lose data either.
 */
export async function restoreStoreAndReports(from: string, dataDir: string, now = new Date()): Promise<void> {
  const suffix = `.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
  const storeDir = path.join(dataDir, 'crawl');
  await mkdir(storeDir, { recursive: true });
  for (const name of ['crawl.sqlite', 'crawl.sqlite-wal', 'crawl.sqlite-shm']) {
    const file = path.join(storeDir, name);
    if (await exists(file)) await rename(file, `${file}${suffix}`);
  }
  await copyFile(path.join(from, 'crawl.sqlite'), path.join(storeDir, 'crawl.sqlite'));
  const reports = path.join(dataDir, 'reports');
  if (await exists(path.join(from, 'reports'))) {
    if (await exists(reports)) await rename(reports, `${reports}${suffix}`);
    await cp(path.join(from, 'reports'), reports, { recursive: true });
  }
}

/** Moves an embedded Meilisearch's database aside, for a dump to be imported into a new one. */
export async function setAsideDatabase(dataDir: string, now = new Date()): Promise<void> {
  const database = path.join(dataDir, 'meilisearch', 'data.ms');
  if (await exists(database)) {
    await rename(database, `${database}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
