/**
 * `npm run backup [-- --to DIR]`: a Meilisearch dump and a consistent copy of the crawl store (and
 * the crawl reports) in DIR (default DATA_DIR/backups/<time>). `npm run restore -- DIR` brings them back.
 * Exit codes: 0 done; 1 failed; 2 invalid configuration; 4 another process is writing to the store.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { ensureWritableDataDir } from '../core/data-dir.ts';
import { AppError, ConfigError, StartupError } from '../core/errors.ts';
import { createLogger } from '../core/logger.ts';
import { isParseArgsError } from '../core/parse-args-error.ts';
import { connectSearchEngine } from '../meili/search-engine.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { StoreBusyError } from '../store/writer-lock.ts';
import { takeBackup } from './backup.ts';

try {
  const { values } = parseArgs({ options: { to: { type: 'string' } }, strict: true });
  const config = loadConfig(process.env);
  await ensureWritableDataDir(config.DATA_DIR);
  const log = createLogger(config.LOG_LEVEL, 'backup');
  const to = path.resolve(
    values.to ?? path.join(config.DATA_DIR, 'backups', new Date().toISOString().replace(/[:.]/g, '-')),
  );
  const store = CrawlStore.open(path.join(config.DATA_DIR, 'crawl', 'crawl.sqlite'));
  let release: (() => void) | undefined;
  try {
    // The dump and the store copy must describe the same moment: no crawl writes meanwhile.
    release = store.lockForWriting('npm run backup');
    const engine = await connectSearchEngine(config, log);
    try {
      const manifest = await takeBackup({
        store,
        client: engine.client,
        indexUid: config.MEILI_INDEX,
        dataDir: config.DATA_DIR,
        dumpDir: engine.embedded ? path.join(config.DATA_DIR, 'meilisearch', 'dumps') : null,
        to,
        log,
      });
      console.log(
        `Backup in ${to}: crawl store, ${manifest.reports ? 'reports, ' : ''}Meilisearch dump ${manifest.meilisearch.dumpUid}.`,
      );
      if (!manifest.meilisearch.file) {
        console.log(
          "The dump stays in the Meilisearch server's dump directory (MEILI_URL): copy it from there with the backup.",
        );
      }
    } finally {
      await engine.stop();
    }
  } finally {
    release?.();
    store.close();
  }
} catch (error) {
  if (error instanceof StoreBusyError) {
    console.error(error.message);
    process.exitCode = 4;
  } else if (error instanceof ConfigError || error instanceof StartupError || isParseArgsError(error)) {
    console.error(`${error.message}\nUsage: npm run backup [-- --to DIR]`);
    process.exitCode = 2;
  } else if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
}
