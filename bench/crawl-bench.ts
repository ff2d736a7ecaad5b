/**
 * `npm run bench:crawl [-- --pages N --concurrency C --rounds R]`: crawl throughput and peak memory of
 * the project's crawler, side by side in the same run with a minimal fetch + cheerio + p-limit loop,
 * on a generated local site of real service-public.fr text. Each crawl runs in a fresh process; the
 * site is served from another one. Rounds alternate the two, and the median is reported.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
  },
});
const tsx = (script: string, args: string[], nodeFlags: string[] = []) =>
  spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
// The project's crawler runs with the heap cap `npm run crawl` gives it; the minimal loop with Node's default.
const CRAWL_NODE_FLAGS = ['--max-old-space-size=256'];

const server = tsx('bench/serve-site-process.ts', [values.pages]);
const origin = await firstLine(server);
console.log(
  `Site: ${values.pages} fiche pages (+ hub pages) at ${origin}, concurrency ${values.concurrency}`,
);

interface Measure {
  mode: string;
  pages: number;
  seconds: number;
  maxRssMb: number;
}
const measures: Record<string, Measure[]> = { baseline: [], project: [] };
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const mode of ['baseline', 'project']) {
    const flags = mode === 'project' ? CRAWL_NODE_FLAGS : [];
    const worker = tsx('bench/crawl-bench-worker.ts', [mode, origin, values.concurrency], flags);
    worker.stdin.end();
    const measure = JSON.parse(await firstLine(worker)) as Measure;
    await once(worker, 'exit');
    measures[mode]!.push(measure);
    const rate = (measure.pages / measure.seconds).toFixed(0);
    console.log(
      `  round ${round} ${mode.padEnd(8)} ${measure.pages} pages, ${rate} pages/s, peak RSS ${measure.maxRssMb.toFixed(0)} MB`,
    );
  }
}
server.stdin.end();

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const summary = (mode: string) => ({
  rate: median(measures[mode]!.map((measure) => measure.pages / measure.seconds)),
  rss: median(measures[mode]!.map((measure) => measure.maxRssMb)),
  pages: measures[mode]![0]!.pages,
});
const baseline = summary('baseline');
const project = summary('project');
console.log('\n| crawler | pages | pages/s (median) | peak RSS (median) |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| minimal fetch + cheerio + p-limit | ${baseline.pages} | ${baseline.rate.toFixed(0)} | ${baseline.rss.toFixed(0)} MB |`,
);
console.log(
  `| public-action-search crawler | ${project.pages} | ${project.rate.toFixed(0)} | ${project.rss.toFixed(0)} MB |`,
);
console.log(
  `\nRatio: ${(project.rate / baseline.rate).toFixed(2)}x the minimal loop's pages/s (aim: >= 0.9x; peak RSS <= 400 MB).`,
);

async function firstLine(child: ChildProcessByStdio<Writable, Readable, null>): Promise<string> {
  let buffered = '';
  for await (const chunk of child.stdout) {
    buffered += String(chunk);
    const newline = buffered.indexOf('\n');
    if (newline >= 0) return buffered.slice(0, newline);
  }
  throw new Error('child process ended without output');
}
