import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runEntryPoint } from './support/run-command.ts';
import { listeningAddress, startEntryPoint } from './support/spawn-entry-point.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';
import { writeTempSourcesFile } from './support/temp-sources-file.ts';

/** The admin API as `npm start` serves it, with a token made by `npm run admin:token`. */
describe('npm start with ADMIN_TOKENS', () => {
  it('serves the admin API to the token npm run admin:token made, and to no one else', async () => {
    const made = await runEntryPoint('core/admin-token-main.ts', ['--name', 'ops', '--rights', 'read']);
    expect(made.exitCode).toBe(0);
    const token = /^ {2}(pasadm_\S+)$/m.exec(made.stdout)?.[1];
    const line = /^ {2}(ops:read:[0-9a-f]{64})$/m.exec(made.stdout)?.[1];
    expect(token && line).toBeTruthy();

    const dataDir = await mkdtemp(path.join(tmpdir(), 'pas-admin-start-'));
    const sourcesFile = await writeTempSourcesFile([
      {
        id: 'tarbes',
        name: 'Tarbes',
        kind: 'collectivite',
        url: 'https://www.tarbes.fr/',
        territory: 'commune:65440',
      },
    ]);
    const api = startEntryPoint('api/main.ts', [], {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      MEILI_INDEX: uniqueIndexUid('admin-start'),
      DATA_DIR: dataDir,
      SOURCES_FILE: sourcesFile,
      PORT: '0',
      ADMIN_TOKENS: line!,
    });
    try {
      const base = await listeningAddress(api);
      expect(base, 'the API printed its address').toBeDefined();

      const anonymous = await fetch(`${base}/v1/admin/sources`);
      const withToken = await fetch(`${base}/v1/admin/sources`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const writing = await fetch(`${base}/v1/admin/sources/tarbes/disable`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });

      expect(anonymous.status).toBe(401);
      expect(withToken.status).toBe(200);
      expect(await withToken.json()).toMatchObject({ sources: [{ id: 'tarbes', status: 'never-crawled' }] });
      expect(writing.status).toBe(403);
      expect((await fetch(`${base}/admin`)).status).toBe(200);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a token given in clear, naming ADMIN_TOKENS', async () => {
    const result = await runEntryPoint('api/main.ts', [], {
      MEILI_URL: inject('meiliUrl'),
      MEILI_MASTER_KEY: inject('meiliKey'),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'pas-admin-start-')),
      PORT: '0',
      ADMIN_TOKENS: 'ops:write:my-clear-token',
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('ADMIN_TOKENS: token 1: expected name:rights:sha256');
  });
});
