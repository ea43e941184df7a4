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
import { agentMainPlugins } from '../esbuild-agent-lean.mjs';
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

/** V8 flags for a long-running agent: a 1 MB young generation, and memory favoured over speed. */
const LEAN_V8_FLAGS = ['--max-semi-space-size=1', '--optimize-for-size'];

interface WorkerResult {
  startMs: number;
  rssAfterStart: number;
  rssAfterIdle: number | null;
  heapAfterStart: { used: number; newSpace: number; oldSpace: number };
  rssAfterSubmits: number;
  rssAfterSubmitsIdle: number | null;
  latencies: number[];
}

/** Idle, right after the submissions, and idle again after them, each against its target. */
function memoryRows(prefix: string, r: WorkerResult): string[][] {
  const idle = r.rssAfterIdle ?? Number.NaN;
  const back = r.rssAfterSubmitsIdle ?? Number.NaN;
  const over = (v: number) => `${v >= idle ? '+' : '−'}${formatBytes(Math.abs(v - idle))} over idle`;
  return [
    [`${prefix}RSS idle (${IDLE_MS / 1000} s after start)`, formatBytes(idle), `< ${formatBytes(RSS_TARGET)}`],
    [
      `${prefix}RSS right after ${r.latencies.length} submissions`,
      `${formatBytes(r.rssAfterSubmits)} (${over(r.rssAfterSubmits)})`,
      '',
    ],
    [
      `${prefix}RSS idle again (${IDLE_MS / 1000} s later)`,
      `${formatBytes(back)} (${over(back)})`,
      `< idle + ${formatBytes(RSS_RETURN_TARGET)}`,
    ],
  ];
}

/** Prints the agent core's memory and submit-to-stored latency. */
export async function benchAgentCore(): Promise<void> {
  if (!existsSync('dist/cli/deskside.js'))
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  await mkdir(WORKER_DIR, { recursive: true });
  // Bundled like the shipped app's main process (scripts/build.mjs): packages stay external except axios and
  // zod, our code is one file. BENCH_PACKAGES_EXTERNAL=1: every package external, for comparison.
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
    plugins: process.env.BENCH_PACKAGES_EXTERNAL ? [] : agentMainPlugins(),
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
    // One run does it all: start, IDLE_MS idle, the submissions, IDLE_MS idle again.
    const result = await worker([], SUBMISSIONS, IDLE_MS);
    const starts = [result.rssAfterStart];
    for (let i = 1; i < STARTS; i++) starts.push((await worker([], 0)).rssAfterStart);
    // The same run with V8 told to favour memory over speed (what a long-running daemon's launcher sets;
    // V8 reads these at start only).
    const lean = await worker(LEAN_V8_FLAGS, SUBMISSIONS, IDLE_MS);
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
      ['RSS right after start, median', `${formatBytes(median(starts))}${range(starts)}`, ''],
      [
        '  of which V8 heap: used / young generation / old (physical)',
        [result.heapAfterStart.used, result.heapAfterStart.newSpace, result.heapAfterStart.oldSpace]
          .map(formatBytes)
          .join(' / '),
        '',
      ],
      ...memoryRows('', result),
      ...memoryRows(`${LEAN_V8_FLAGS.join(' ')}: `, lean),
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
