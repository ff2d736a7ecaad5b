/** The API of the benchmarks in a process of its own (bench/api-bench-server.ts), once it listens. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Starts the benchmarks' API against `meili`'s index `indexUid`, in its own process so that it shares
 * no event loop with the load generator; resolves with its port once it prints `LISTENING <port>`.
 */
export async function startBenchApi(
  meili: { url: string; masterKey: string },
  indexUid: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'api-bench-server.ts')],
    {
      env: {
        ...process.env,
        BENCH_MEILI_URL: meili.url,
        BENCH_MEILI_KEY: meili.masterKey,
        BENCH_INDEX: indexUid,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`The API process exited (${code}) before listening: ${output}`)),
    );
  });
  return { child, port };
}
