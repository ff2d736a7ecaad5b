/**
 * `npm run bench:index -- --dataset`: the dataset path. The four DGCL files (99,026 projects, from
 * ../shared/data/dgcl) are served on 127.0.0.1 and crawled into the store and the index by the
 * project (`runCrawl`: fetch, CSV stream, rows, store, syncIndex), against the raw Meilisearch client
 * adding the same documents, built beforehand, in the same run. Then officials' searches (with
 * territory, size, scheme, year and amount filters) through the API over that index, one at a time,
 * p50/p99, beside the same searches sent to Meilisearch directly.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { request } from 'undici';
import { createApp } from '../api/app.ts';
import { createLogger } from '../core/logger.ts';
import { defaultCrawlSettings } from '../crawler/crawl-settings.ts';
import { buildDgclCorpus, DGCL_DATASET_FIELDS, DGCL_DIR, DGCL_YEARS } from '../eval/projects/dgcl-corpus.ts';
import { documentBuilder, searchDocumentsOf } from '../indexer/document-builder.ts';
import { createIndexIfMissing } from '../indexer/index-settings.ts';
import { loadIndexerResources } from '../indexer/indexer-resources.ts';
import { awaitTask } from '../indexer/meili-task.ts';
import { startEmbeddedMeilisearch } from '../meili/embedded-meilisearch.ts';
import { createMeiliClient } from '../meili/meili-client.ts';
import { SourceSchema } from '../core/source.ts';
import { serveSite } from '../fixture-web/site-server.ts';
import { CrawlStore } from '../store/crawl-store.ts';
import { runCrawl } from '../workflow/run-crawl.ts';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

const log = createLogger('warn', 'bench');
const workDir = await mkdtemp(path.join(tmpdir(), 'pas-bench-dataset-'));
const meili = await startEmbeddedMeilisearch({ dataDir: path.join(workDir, 'meili'), log });
const client = createMeiliClient(meili.url, meili.masterKey);
const resources = await loadIndexerResources();
const web = await serveSite(
  new Map(
    await Promise.all(
      DGCL_YEARS.map(
        async (year) =>
          [
            `/projets-${year}.csv`,
            {
              status: 200,
              headers: { 'content-type': 'text/csv; charset=utf-8' },
              body: gunzipSync(await readFile(path.join(DGCL_DIR, `dgcl-projets-${year}.csv.gz`))),
            },
          ] as const,
      ),
    ),
  ),
);
const source = SourceSchema.parse({
  id: 'dgcl',
  name: 'Projets financés par les dotations de l’État (DGCL)',
  kind: 'etat',
  url: `${web.origin}/`,
  territory: 'national',
  dataset: {
    ...DGCL_DATASET_FIELDS,
    files: DGCL_YEARS.map((year) => ({ url: web.url(`/projets-${year}.csv`) })),
  },
});

/**
 * Searches an official makes, written for the benchmark from the kinds of projects in the titles
 * (not from any judged query): words, then filters on territory, size, scheme, year and amounts.
 */
const OFFICIALS_SEARCHES = [
  'q=city+stade',
  'q=vid%C3%A9oprotection&territory=departement:34',
  'q=r%C3%A9novation+%C3%A9nerg%C3%A9tique+%C3%A9cole',
  'q=salle+des+f%C3%AAtes&size=moins-de-2000&territory=departement:35',
  'q=maison+de+sant%C3%A9&territory=region:76',
  'q=%C3%A9clairage+public+led&year=2023',
  'q=voirie&scheme=DETR&territory=departement:01',
  'q=toiture+%C3%A9glise&cost=-100000',
  'q=cantine&grant=50000-&sort=grant',
  'q=accessibilit%C3%A9+mairie&population=0-2000',
  'q=assainissement&territory=region:84&year=2024',
  'q=piste+cyclable&sort=cost',
  'like=commune:34108&sort=grant',
  'q=%C3%A9cole&like=commune:01041',
  'q=m%C3%A9diath%C3%A8que&facets=year,scheme',
  'q=bornes+de+recharge',
  'q=cour+d%27%C3%A9cole+v%C3%A9g%C3%A9talis%C3%A9e',
  'q=chaufferie+bois',
  'q=terrain+de+football+synth%C3%A9tique&size=2000-10000',
  'q=r%C3%A9habilitation+gymnase&scheme=DSIL',
];

async function searchLatencies(): Promise<void> {
  // The API as `npm start` builds it, without its cache: every request reaches Meilisearch.
  const app = createApp({ client, indexUid: 'project', sources: [source], resources, log });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const apiTimes: number[] = [];
  const directTimes: number[] = [];
  const rounds = 20;
  for (let round = 0; round < rounds; round++) {
    for (const query of OFFICIALS_SEARCHES) {
      const params = new URLSearchParams(query);
      let started = performance.now();
      const response = await request(`${base}/v1/search?${query}`);
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${query}: HTTP ${response.statusCode}`);
      apiTimes.push(performance.now() - started);
      // The baseline: Meilisearch's own search of the words as typed, with the territory filter.
      const filter = params.get('territory') ? [`territory.codes = "${params.get('territory')}"`] : [];
      started = performance.now();
      await client.index('project').search(params.get('q') ?? '', { filter, limit: 10 });
      directTimes.push(performance.now() - started);
    }
  }
  await new Promise((resolve) => server.close(resolve));
  const percentile = (times: number[], p: number) =>
    [...times].sort((a, b) => a - b)[Math.floor((times.length - 1) * p)]!;
  console.log(
    `\nOfficials' searches (${OFFICIALS_SEARCHES.length} kinds × ${rounds}, one at a time, over ${base}):`,
  );
  console.log('| target | p50 ms | p99 ms |');
  console.log('| --- | --- | --- |');
  console.log(
    `| Meilisearch direct (words as typed, territory filter) | ${percentile(directTimes, 0.5).toFixed(1)} | ${percentile(directTimes, 0.99).toFixed(1)} |`,
  );
  console.log(
    `| API (/v1/search, every filter) | ${percentile(apiTimes, 0.5).toFixed(1)} | ${percentile(apiTimes, 0.99).toFixed(1)} |`,
  );
}

try {
  // Raw client first: the same rows as documents, built beforehand (not timed), all enqueued at once.
  const corpus = await buildDgclCorpus(resources.territories, new Date().toISOString());
  const documents = searchDocumentsOf(
    documentBuilder({ sources: [{ ...source, url: 'https://dgcl.example.gouv.fr/' }], resources }),
    corpus.pages.map((page) => ({ page, sourceId: 'dgcl' })),
  );
  await createIndexIfMissing(client, 'raw', resources.settings);
  const rawStarted = performance.now();
  const tasks = [];
  for (let start = 0; start < documents.length; start += 20_000) {
    tasks.push(
      await client.index('raw').addDocuments(documents.slice(start, start + 20_000), { primaryKey: 'id' }),
    );
  }
  for (const task of tasks) await awaitTask(client, task);
  const rawSeconds = (performance.now() - rawStarted) / 1000;

  const store = CrawlStore.open(path.join(workDir, 'crawl.sqlite'));
  await createIndexIfMissing(client, 'project', resources.settings);
  const projectStarted = performance.now();
  const { reports } = await runCrawl({
    sources: [source],
    store,
    client,
    indexUid: 'project',
    settings: { ...defaultCrawlSettings('pas-bench/1.0'), allowPrivateNetworks: true, liftPoliteness: true },
    resources,
    log,
  });
  const projectSeconds = (performance.now() - projectStarted) / 1000;
  store.close();
  const indexed = (await client.index('project').getStats()).numberOfDocuments;
  const rawRate = documents.length / rawSeconds;
  const projectRate = indexed / projectSeconds;
  console.log('\n| path | documents | seconds | documents/s |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| raw client, prebuilt documents | ${documents.length} | ${rawSeconds.toFixed(1)} | ${rawRate.toFixed(0)} |`,
  );
  console.log(
    `| project: 4 files served → crawl → store → syncIndex | ${indexed} | ${projectSeconds.toFixed(1)} | ${projectRate.toFixed(0)} |`,
  );
  console.log(`\nRatio: ${(projectRate / rawRate).toFixed(2)}x the raw client's documents/s (aim: >= 0.9x).`);
  console.log(`Crawl report: ${JSON.stringify(reports[0]?.dataset)}`);

  await searchLatencies();
} finally {
  await web.close();
  await meili.stop();
  await rm(workDir, { recursive: true, force: true });
}
