// The headless agent core: RSS once started against a real server (in a separate, bundled Node process,
// so no TypeScript loader inflates it) over several starts, RSS after 20 submissions, the time from
// ticket:submit to the ticket stored on the server, and the outbox through a server outage
// (agent-outage.bench.ts). `npx tsx scripts/bench/agent-core.bench.ts` runs it alone;
// BENCH_OUTAGE_TICKETS=0 leaves the outage out.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { axiosLean } from '../esbuild-axios-lean.mjs';
import { formatBytes } from '../../src/shared/format';
import { createEnrollSecret, startServer } from '../../test/e2e/support/server';
import { benchOutage, outageRows } from './agent-outage.bench';
import { median, percentile, printTable } from './stats';

const run = promisify(execFile);
const SUBMISSIONS = Number(process.env.BENCH_AGENT_SUBMISSIONS ?? 20);
/** Starts measured for the RSS after start (one start varies by ±2 MB): the median and the range are shown. */
const STARTS = Math.max(1, Number(process.env.BENCH_AGENT_STARTS ?? 5));
const IDLE_MS = 15_000;
const RSS_TARGET = 50 * 1024 * 1024;
/** After the submissions, RSS back within this of the idle figure. */
const RSS_RETURN_TARGET = 10 * 1024 * 1024;
// In this checkout (dist/ is ignored), so two checkouts sharing node_modules do not overwrite each other's workers.
const WORKER_DIR = 'dist/bench-agent';
const WORKER_OUT = `${WORKER_DIR}/agent-core-worker.js`;
const OUTAGE_OUT = `${WORKER_DIR}/agent-outbox-worker.js`;

interface WorkerResult {
  startMs: number;
  rssAfterStart: number;
  rssAfterIdle: number | null;
  heapAfterStart: { used: number; newSpace: number; oldSpace: number };
  rssAfterSubmits: number;
  latencies: number[];
}

/** Prints the agent core's memory and submit-to-stored latency. */
export async function benchAgentCore(): Promise<void> {
  if (!existsSync('dist/cli/deskside.js'))
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  await mkdir(WORKER_DIR, { recursive: true });
  // Bundled like the shipped app's main process: packages stay external, our code is one file.
  await build({
    entryPoints: {
      'agent-core-worker': 'scripts/bench/agent-core-worker.ts',
      'agent-outbox-worker': 'scripts/bench/agent-outbox-worker.ts',
      'snapshot-worker': 'src/main/services/snapshot-worker.ts',
    },
    outdir: WORKER_DIR,
    outExtension: { '.js': '.js' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    plugins: process.env.BENCH_AXIOS_EXTERNAL ? [] : [axiosLean()],
    logLevel: 'warning',
  });
  const server = await startServer();
  try {
    const secret = await createEnrollSecret(server.url, 'bench');
    const worker = async (nodeArgs: string[], count: number, idleMs = 0): Promise<WorkerResult> => {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', ...nodeArgs, WORKER_OUT, server.url, secret, String(count), String(idleMs)],
        {
          env: { ...process.env, DESKSIDE_AGENT_CONFIG: '/nonexistent/deskside-bench.json' },
          maxBuffer: 4 * 1024 * 1024,
          timeout: 300_000,
        },
      );
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as WorkerResult;
    };
    const result = await worker([], SUBMISSIONS);
    const starts = [result.rssAfterStart];
    for (let i = 1; i < STARTS; i++) starts.push((await worker([], 0)).rssAfterStart);
    // The same start with V8's young generation capped (what a host can set with --js-flags).
    const small = await worker(['--max-semi-space-size=1'], 0);
    // The tray agent's steady state: the same start, measured again after IDLE_MS without work.
    const idle = await worker([], 0, IDLE_MS);
    const outage = Number(process.env.BENCH_OUTAGE_TICKETS ?? 1000) > 0 ? await benchOutage(OUTAGE_OUT) : null;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const range = (values: number[]) =>
      values.length > 1
        ? ` (${formatBytes(Math.min(...values))}–${formatBytes(Math.max(...values))}, ${values.length} starts)`
        : '';
    console.log('\n## Agent core (headless, real server on 127.0.0.1, real snapshots)\n');
    printTable([
      ['', 'value', 'target'],
      ['start → enrolled and online', ms(result.startMs), ''],
      ['RSS after start, median', `${formatBytes(median(starts))}${range(starts)}`, `< ${formatBytes(RSS_TARGET)}`],
      [
        '  of which V8 heap: used / young generation / old (physical)',
        [result.heapAfterStart.used, result.heapAfterStart.newSpace, result.heapAfterStart.oldSpace]
          .map(formatBytes)
          .join(' / '),
        '',
      ],
      ['RSS after start, --max-semi-space-size=1', formatBytes(small.rssAfterStart), `< ${formatBytes(RSS_TARGET)}`],
      [`RSS after start and ${IDLE_MS / 1000} s idle`, formatBytes(idle.rssAfterIdle ?? Number.NaN), ''],
      [
        `RSS after ${result.latencies.length} submissions`,
        `${formatBytes(result.rssAfterSubmits)} (${result.rssAfterSubmits >= median(starts) ? '+' : '−'}${formatBytes(Math.abs(result.rssAfterSubmits - median(starts)))} over idle)`,
        `< idle + ${formatBytes(RSS_RETURN_TARGET)}`,
      ],
      ['submit → stored, median', ms(median(result.latencies)), ''],
      ['submit → stored, p95', ms(percentile(result.latencies, 95)), ''],
      ['submit → stored, max', ms(Math.max(...result.latencies)), ''],
      ...(outage ? outageRows(outage) : []),
    ]);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchAgentCore();
  process.exit(0);
}
