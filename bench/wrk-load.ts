/**
 * Load generation with wrk (C, epoll): on a 2-core machine shared with Meilisearch and the API, a
 * load generator must take as little CPU as possible, and the same little for every target, so the
 * targets' figures can be compared. wrk costs a few microseconds per request where a Node client
 * (undici) costs tens, and it records latency percentiles itself. A small Lua script walks a file of
 * prepared requests, one per line, so every request can differ.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface LoadRun {
  /** Where to send requests: `http://host:port`. */
  origin: string;
  /** GET: each line is a path with its query string. POST: each line is a JSON body for `postPath`. */
  method: 'GET' | 'POST';
  postPath?: string;
  requestsFile: string;
  /** First line to send (0-based), so runs cut in slices walk the file on instead of starting over. */
  startLine?: number;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Directory for the Lua script. */
  workDir: string;
  /** Called with wrk's pid once it runs (to measure its CPU). */
  onStart?: (pid: number) => void;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection, read/write and timeout errors, and responses with a status >= 400. */
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
  /**
   * The latency distribution as weighted points (microseconds → number of requests), from wrk's
   * quantiles on a fine grid, so that runs can be combined.
   */
  histogram: Map<number, number>;
}

export class LoadGeneratorError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(`${message}\n${output.slice(-2000)}`);
    this.name = 'LoadGeneratorError';
  }
}

/** Fails early, with the fix, when wrk is not installed. */
export function assertWrkInstalled(): void {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new LoadGeneratorError(
      'wrk is needed as the load generator: install it (Debian/Ubuntu: `apt-get install -y wrk`, macOS: `brew install wrk`).',
      null,
      String(probe.error),
    );
  }
}

// One wrk thread: it is enough for tens of thousands of requests/s, and leaves the cores to the targets.
const THREADS = 1;

const SCRIPT = String.raw`
local lines = {}
for line in io.lines(os.getenv("LOAD_REQUESTS")) do lines[#lines + 1] = line end
local method = os.getenv("LOAD_METHOD")
local postPath = os.getenv("LOAD_POST_PATH")
local next = tonumber(os.getenv("LOAD_START")) % #lines

request = function()
  next = next % #lines + 1
  if method == "POST" then
    return wrk.format("POST", postPath, nil, lines[next])
  end
  return wrk.format("GET", lines[next])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
  -- Latency quantiles on a fine grid, so that slices of one run can be merged: 0.5 % steps, then
  -- 0.1 % steps for the tail. (wrk 4.1 gives no access to its raw histogram from Lua.)
  local quantiles = {}
  local p = 0.5
  while p <= 100.001 do
    quantiles[#quantiles + 1] = string.format("%.1f:%d", p, latency:percentile(p))
    if p < 98.95 then p = p + 0.5 else p = p + 0.1 end
  end
  io.write("LOAD_QUANTILES " .. table.concat(quantiles, ",") .. "\n")
end
`;

export async function runWrk(run: LoadRun): Promise<LoadResult> {
  const script = path.join(run.workDir, 'load.lua');
  await writeFile(script, SCRIPT);
  const headerArgs = Object.entries(run.headers ?? {}).flatMap(([name, value]) => [
    '-H',
    `${name}: ${value}`,
  ]);
  const args = [
    ['-t', String(THREADS)],
    ['-c', String(run.connections)],
    ['-d', `${run.durationSeconds}s`],
    ['--timeout', '10s'],
    ['-s', script],
    headerArgs,
    [run.origin],
  ].flat();
  const child = spawn('wrk', args, {
    env: {
      PATH: process.env.PATH,
      LOAD_REQUESTS: run.requestsFile,
      LOAD_METHOD: run.method,
      LOAD_POST_PATH: run.postPath ?? '/',
      LOAD_START: String(run.startLine ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid) run.onStart?.(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const line = /^LOAD_RESULT (.*)$/m.exec(output)?.[1];
  if (exitCode !== 0 || line === undefined) {
    throw new LoadGeneratorError(`wrk ${args.join(' ')} failed`, exitCode, output);
  }
  const raw = JSON.parse(line) as Record<string, number>;
  const requests = raw['requests']!;
  const histogram = new Map<number, number>();
  let previous = 0;
  for (const point of (/^LOAD_QUANTILES (.*)$/m.exec(output)?.[1] ?? '').split(',').filter(Boolean)) {
    const [percent, us] = point.split(':').map(Number);
    // The requests between the previous grid point and this one, all counted at this latency.
    histogram.set(us!, (histogram.get(us!) ?? 0) + ((percent! - previous) / 100) * requests);
    previous = percent!;
  }
  return summarize({
    requests,
    seconds: raw['durationUs']! / 1e6,
    errors: {
      connect: raw['connect']!,
      read: raw['read']!,
      write: raw['write']!,
      status: raw['status']!,
      timeout: raw['timeout']!,
    },
    histogram,
  });
}

/** Several runs against one target as one: summed counts, percentiles of the merged latencies. */
export function combineLoads(results: readonly LoadResult[]): LoadResult {
  const histogram = new Map<number, number>();
  for (const result of results) {
    for (const [us, count] of result.histogram) histogram.set(us, (histogram.get(us) ?? 0) + count);
  }
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return summarize({
    requests: sum((r) => r.requests),
    seconds: sum((r) => r.seconds),
    errors: {
      connect: sum((r) => r.errors.connect),
      read: sum((r) => r.errors.read),
      write: sum((r) => r.errors.write),
      status: sum((r) => r.errors.status),
      timeout: sum((r) => r.errors.timeout),
    },
    histogram,
  });
}

function summarize(counts: Pick<LoadResult, 'requests' | 'seconds' | 'errors' | 'histogram'>): LoadResult {
  const sorted = [...counts.histogram].sort(([left], [right]) => left - right);
  const recorded = sorted.reduce((total, [, count]) => total + count, 0);
  // The smallest latency at or below which p % of the requests fall.
  const percentileMs = (p: number) => {
    let seen = 0;
    for (const [us, count] of sorted) {
      seen += count;
      if (seen >= (p / 100) * recorded * (1 - 1e-9)) return us / 1000;
    }
    return (sorted.at(-1)?.[0] ?? 0) / 1000;
  };
  return {
    ...counts,
    requestsPerSecond: counts.requests / counts.seconds,
    p50Ms: percentileMs(50),
    p90Ms: percentileMs(90),
    p99Ms: percentileMs(99),
    maxMs: (sorted.at(-1)?.[0] ?? 0) / 1000,
  };
}
