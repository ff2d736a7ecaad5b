import { describe, expect, inject, it } from 'vitest';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { settingsDrift } from '../indexer/settings-drift.ts';
import { runEntryPoint } from './support/run-command.ts';
import { testMeiliClient, uniqueIndexUid } from './support/test-meilisearch.ts';

const admin = testMeiliClient();
const meiliEnv = () => ({ MEILI_URL: inject('meiliUrl'), MEILI_MASTER_KEY: inject('meiliKey') });

describe('npm run index:settings', () => {
  it('applies the settings in code to the live index, saying it may take a while', async () => {
    const indexUid = uniqueIndexUid('settings-command');
    await awaitTask(admin, admin.createIndex(indexUid, { primaryKey: 'id' }));
    await awaitTask(admin, admin.index(indexUid).updateSettings({ rankingRules: ['words', 'typo'] }));
    const settings = (await loadIndexerResources()).settings;
    expect(await settingsDrift(admin, indexUid, settings)).toContain('rankingRules');

    const result = await runEntryPoint('indexer/index-settings-main.ts', [], {
      ...meiliEnv(),
      MEILI_INDEX: indexUid,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/may take a while/);
    expect(await settingsDrift(admin, indexUid, settings)).toEqual([]);
  });

  it('creates the index with them when there is none', async () => {
    const indexUid = uniqueIndexUid('settings-command-new');
    const result = await runEntryPoint('indexer/index-settings-main.ts', [], {
      ...meiliEnv(),
      MEILI_INDEX: indexUid,
    });
    expect(result.exitCode).toBe(0);
    expect(await settingsDrift(admin, indexUid, (await loadIndexerResources()).settings)).toEqual([]);
  });
});

describe('comparing the live index with the settings in code', () => {
  it('finds no difference right after they are applied, whatever order Meilisearch hands them back in', async () => {
    const indexUid = uniqueIndexUid('drift');
    const settings = (await loadIndexerResources()).settings;
    await awaitTask(admin, admin.createIndex(indexUid, { primaryKey: 'id' }));
    await awaitTask(admin, admin.index(indexUid).updateSettings(settings));
    expect(await settingsDrift(admin, indexUid, settings)).toEqual([]);
  });

  it('names each setting that differs', async () => {
    const indexUid = uniqueIndexUid('drift-changed');
    const settings = (await loadIndexerResources()).settings;
    await awaitTask(admin, admin.createIndex(indexUid, { primaryKey: 'id' }));
    await awaitTask(
      admin,
      admin.index(indexUid).updateSettings({ ...settings, stopWords: [], rankingRules: ['words'] }),
    );
    expect(await settingsDrift(admin, indexUid, settings)).toEqual(['rankingRules', 'stopWords']);
  });
});
