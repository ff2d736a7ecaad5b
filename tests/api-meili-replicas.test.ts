import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SEARCH_TIMEOUT_MS, createApiReplicaClient } from '../api/api-meili-client.ts';
import { ensureSearchKey, searchKeyValue } from '../meili/search-key.ts';
import { anApp } from './builders/app-builder.ts';
import { aSearchDocument } from './builders/search-document-builder.ts';
import { type SearchHost, startHostsInStep } from './support/search-host.ts';
import { uniqueIndexUid } from './support/test-meilisearch.ts';

const MASTER_KEY = 'replicas-master-key-0123456789';
const indexUid = uniqueIndexUid('replicas');
const CANTINE = 'https://www.tarbes.fr/deliberation-cantine.pdf';
let hosts: SearchHost[] = [];

beforeAll(async () => {
  hosts = await startHostsInStep({
    count: 2,
    masterKey: MASTER_KEY,
    indexUid,
    documents: [
      aSearchDocument({ url: CANTINE, title: 'Délibération : tarifs de la cantine scolaire' }),
      aSearchDocument({ url: 'https://www.tarbes.fr/piscine', title: 'Horaires de la piscine municipale' }),
    ],
  });
  // Registered by npm start (api-meili-replicas-start.test.ts); here the API is built without it.
  for (const host of hosts) await ensureSearchKey(host.admin, indexUid);
});

afterAll(async () => {
  for (const host of hosts) await host.stop();
});

type Failover = NonNullable<Parameters<typeof createApiReplicaClient>[2]>['failover'];

/** The API as `npm start` builds it with MEILI_SEARCH_URLS, over both hosts, with its search-only key. */
async function apiOverBothHosts(failover: Failover = {}) {
  const [first, second] = hosts;
  const replicas = createApiReplicaClient([first!.url, second!.url], searchKeyValue(MASTER_KEY, indexUid), {
    failover,
  });
  const app = await anApp(replicas.client, indexUid, { searchHosts: replicas.hosts });
  const search = async () => {
    const started = performance.now();
    const response = await app.request('/v1/search?q=cantine');
    const body = (await response.json()) as { hits?: { url: string }[] };
    return {
      status: response.status,
      urls: body.hits?.map((hit) => hit.url),
      ms: performance.now() - started,
    };
  };
  const readyz = async () => {
    const response = await app.request('/readyz');
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { search, readyz, close: () => replicas.close() };
}

const searchesOnEach = () => Promise.all(hosts.map((host) => host.searches()));

describe('the API searching several Meilisearch hosts (MEILI_SEARCH_URLS)', () => {
  it('spreads searches over both hosts, and each answers with the same results', async () => {
    const api = await apiOverBothHosts();
    const before = await searchesOnEach();

    const answers = [];
    for (let count = 0; count < 10; count++) answers.push(await api.search());

    const after = await searchesOnEach();
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.urls)))).toEqual(
      new Set([JSON.stringify([CANTINE])]),
    );
    // One at a time, no host ever has a search waiting: they take turns.
    expect(after[0]! - before[0]!).toBe(5);
    expect(after[1]! - before[1]!).toBe(5);
    await api.close();
  });

  it('answers every search while a host is killed, and searches it again once it is back', async () => {
    const api = await apiOverBothHosts({ setAsideMs: 1_000, maxSetAsideMs: 1_000 });
    const killed = hosts[1]!;
    await killed.kill();
    try {
      const answers = [];
      for (let count = 0; count < 10; count++) answers.push(await api.search());
      expect(answers.map((answer) => [answer.status, answer.urls])).toEqual(Array(10).fill([200, [CANTINE]]));
      expect((await api.readyz()).body).toEqual({
        status: 'ready',
        hosts: [
          { host: 1, status: 'ready', setAside: false },
          { host: 2, status: 'unavailable', code: 'search_engine_unavailable', setAside: true },
        ],
      });
    } finally {
      await killed.restart();
    }

    // Set aside for a second, then tried again: back in turn with the other.
    await sleep(1_100);
    for (let count = 0; count < 4; count++) expect((await api.search()).status).toBe(200);
    expect(await killed.searches()).toBe(2);
    await api.close();
  });

  it('answers within its timeout when a host hangs, and skips that host for a while', async () => {
    const api = await apiOverBothHosts();
    const hung = hosts[0]!;
    const before = await hosts[1]!.searches();
    hung.pause();
    try {
      const answers = [];
      for (let count = 0; count < 6; count++) answers.push(await api.search());

      expect(answers.map((answer) => [answer.status, answer.urls])).toEqual(Array(6).fill([200, [CANTINE]]));
      // The first went to the hung host, waited half the API's timeout, and was answered by the other;
      // the next ones went to the other straight away.
      expect(answers[0]!.ms).toBeGreaterThanOrEqual(API_SEARCH_TIMEOUT_MS / 2);
      expect(answers[0]!.ms).toBeLessThan(API_SEARCH_TIMEOUT_MS);
      expect(Math.max(...answers.slice(1).map((answer) => answer.ms))).toBeLessThan(
        API_SEARCH_TIMEOUT_MS / 2,
      );
      expect((await hosts[1]!.searches()) - before).toBe(6);
    } finally {
      hung.resume();
    }
    await api.close();
  });

  it('is ready while one host can search, and not ready, naming each host, when none can', async () => {
    const api = await apiOverBothHosts();
    for (const host of hosts) host.pause();
    try {
      const none = await api.readyz();
      expect(none).toEqual({
        status: 503,
        body: {
          error: { code: 'search_engine_unavailable', message: expect.any(String) as unknown },
          hosts: [
            { host: 1, status: 'unavailable', code: 'search_engine_unavailable', setAside: false },
            { host: 2, status: 'unavailable', code: 'search_engine_unavailable', setAside: false },
          ],
        },
      });
      hosts[1]!.resume();
      expect(await api.readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });
    } finally {
      for (const host of hosts) host.resume();
    }
    expect(await api.readyz()).toMatchObject({
      status: 200,
      body: { hosts: [{ status: 'ready' }, { status: 'ready' }] },
    });
    await api.close();
  });
});
