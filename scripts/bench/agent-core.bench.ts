// The headless agent core: the idle RSS of the real daemon (`deskside agent run` from dist/cli, started with
// the service units' Node flags) over several starts; then the same core in a worker bundled the same way
// (scripts/esbuild-agent-lean.mjs), with those flags and with none: RSS idle, after 20 submissions and idle
// again, the time from ticket:submit to the ticket stored on the server; and the outbox through a server
// outage (agent-outage.bench.ts). `npx tsx scripts/bench/agent-core.bench.ts` runs it alone;
// BENCH_OUTAGE_TICKETS=0 leaves the outage out.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../esbuild-agent-lean.mjs';
import { DAEMON_NODE_FLAGS } from '../../src/main/services/service-units';
import { formatBytes } from '../../src/shared/format';
import { createEnrollSecret, startServer } from '../../test/e2e/support/server';
import { benchOutage, outageRows } from './agent-outage.bench';
import { median, percentile, printTable, residentOf, type Resident } from './stats';

const run = promisify(execFile);
const SUBMISSIONS = Number(process.env.BENCH_AGENT_SUBMISSIONS ?? 20);
/** Starts measured for the RSS after start (one start varies by ±2 MB): the median and the range are shown. */
const STARTS = Math.max(1, Number(process.env.BENCH_AGENT_STARTS ?? 5));
/** Starts kept until their first inventory is sent (each takes 45–105 s more). */
const AFTER_INVENTORY_STARTS = Math.max(1, Math.min(STARTS, 3));
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
  rssAfterSubmitsIdle: number | null;
  heapAfterSubmits: { used: number; newSpace: number; oldSpace: number };
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

/** The log lines a daemon's RSS is read after (IDLE_MS later), and how long each may take to come. */
const MILESTONES = {
  online: { pattern: /"msg":"online"/, withinMs: 60_000 },
  // A first start sends its first inventory 30–90 s after start (inventory.service.ts), then every 4 hours.
  'inventory sent': { pattern: /"msg":"inventory sent"/, withinMs: 150_000 },
} as const;

/**
 * The real daemon's RSS once idle: `node <service flags> dist/cli/deskside.js agent run` against the server,
 * read from /proc IDLE_MS after its "online" log line, or after its first inventory (Linux only).
 */
async function daemonIdleRss(
  serverUrl: string,
  secret: string,
  flags: readonly string[] = DAEMON_NODE_FLAGS,
  after: keyof typeof MILESTONES = 'online',
): Promise<Resident> {
  const dataDir = await mkdtemp(join(tmpdir(), 'deskside-bench-daemon-'));
  const child = spawn(
    process.execPath,
    [
      ...flags,
      resolve('dist/cli/deskside.js'),
      'agent',
      'run',
      '--data-dir',
      dataDir,
      '--server-url',
      serverUrl,
      '--enroll-secret',
      secret,
    ],
    {
      // No managed config file: the flags above are the whole configuration.
      env: { ...process.env, DESKSIDE_AGENT_CONFIG: '/nonexistent/deskside-bench.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    let log = '';
    const { pattern, withinMs } = MILESTONES[after];
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`daemon: no "${after}" within ${withinMs / 1000} s:\n${log}`)),
        withinMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (pattern.test(log)) {
          clearTimeout(timer);
          done();
        }
      });
      child.once('exit', (code) => fail(new Error(`daemon exited (${code}) before "${after}":\n${log}`)));
    });
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return residentOf(child.pid ?? 0);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: Node itself with the daemon's flags, running nothing, idle as long as the daemon is measured. */
async function bareNodeResident(): Promise<Resident> {
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, '-e', 'setInterval(() => {}, 60_000)'], {
    stdio: 'ignore',
  });
  try {
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return residentOf(child.pid ?? 0);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Prints the agent core's memory and submit-to-stored latency. */
export async function benchAgentCore(): Promise<void> {
  if (!existsSync('dist/cli/deskside.js'))
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  await mkdir(WORKER_DIR, { recursive: true });
  // Bundled like the shipped daemon and main process (scripts/build.mjs: nodeBundleOptions). BENCH_PACKAGES_EXTERNAL=1:
  // every package external, for comparison.
  await build({
    ...nodeBundleOptions(),
    entryPoints: {
      'agent-core-worker': 'scripts/bench/agent-core-worker.ts',
      'agent-outbox-worker': 'scripts/bench/agent-outbox-worker.ts',
      'snapshot-worker': 'src/main/services/snapshot-worker.ts',
    },
    outdir: WORKER_DIR,
    outExtension: { '.js': '.js' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    ...(process.env.BENCH_PACKAGES_EXTERNAL ? { plugins: [] } : {}),
    logLevel: 'warning',
  });
  const server = await startServer();
  try {
    const secret = await createEnrollSecret(server.url, 'bench');
    const worker = async (nodeArgs: readonly string[], count: number, idleMs = 0): Promise<WorkerResult> => {
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
    // The daemon as installed: the figure the target is about.
    const daemonParts: Resident[] = [];
    const bareParts: Resident[] = [];
    // The same daemon booted from Node's startup snapshot (the one flag it runs without), for the gain.
    const withSnapshotParts: Resident[] = [];
    const withSnapshot = DAEMON_NODE_FLAGS.filter((flag) => flag !== '--no-node-snapshot');
    // Idle again after its first inventory (a snapshot collected in a child process, hashed, gzipped, sent):
    // what a daemon holds for the hours between inventories.
    const afterInventoryParts: Resident[] = [];
    if (process.platform === 'linux') {
      for (let i = 0; i < STARTS; i++) {
        daemonParts.push(await daemonIdleRss(server.url, secret));
        withSnapshotParts.push(await daemonIdleRss(server.url, secret, withSnapshot));
        bareParts.push(await bareNodeResident());
      }
      for (let i = 0; i < AFTER_INVENTORY_STARTS; i++)
        afterInventoryParts.push(await daemonIdleRss(server.url, secret, DAEMON_NODE_FLAGS, 'inventory sent'));
    }
    const daemon = daemonParts.map((p) => p.rss);
    const bare = bareParts.length > 0 ? median(bareParts.map((p) => p.rss)) : 0;
    const part = (parts: Resident[], key: keyof Resident) => formatBytes(median(parts.map((p) => p[key])));
    // The core in a worker with the daemon's flags: start, IDLE_MS idle, the submissions, IDLE_MS idle again.
    const result = await worker(DAEMON_NODE_FLAGS, SUBMISSIONS, IDLE_MS);
    const starts = [result.rssAfterStart];
    for (let i = 1; i < STARTS; i++) starts.push((await worker(DAEMON_NODE_FLAGS, 0)).rssAfterStart);
    // The same with Node's defaults (the tray's main process in Electron runs without the daemon's flags).
    const plain = await worker([], SUBMISSIONS, IDLE_MS);
    const outage = Number(process.env.BENCH_OUTAGE_TICKETS ?? 1000) > 0 ? await benchOutage(OUTAGE_OUT) : null;
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const range = (values: number[]) =>
      values.length > 1
        ? ` (${formatBytes(Math.min(...values))}–${formatBytes(Math.max(...values))}, ${values.length} starts)`
        : '';
    console.log('\n## Agent core (headless, real server on 127.0.0.1, real snapshots)\n');
    console.log(`The daemon's Node flags (service units): ${DAEMON_NODE_FLAGS.join(' ')}\n`);
    printTable([
      ['', 'value', 'target'],
      ...(daemon.length > 0
        ? [
            [
              `deskside agent run: RSS idle (${IDLE_MS / 1000} s after online), median`,
              `${formatBytes(median(daemon))}${range(daemon)}`,
              `< ${formatBytes(RSS_TARGET)}`,
            ],
            [
              '  of which its own (RssAnon) / shared file pages: node and libraries (RssFile)',
              `${part(daemonParts, 'anon')} / ${part(daemonParts, 'file')}`,
              '',
            ],
            [
              `  idle ${IDLE_MS / 1000} s after its first inventory (30–90 s after start), median`,
              `${part(afterInventoryParts, 'rss')}${range(afterInventoryParts.map((p) => p.rss))}`,
              `< ${formatBytes(RSS_TARGET)}`,
            ],
            [
              "  the same, booted from Node's startup snapshot (without --no-node-snapshot)",
              `${part(withSnapshotParts, 'rss')} (${part(withSnapshotParts, 'anon')} / ${part(withSnapshotParts, 'file')})`,
              '',
            ],
            [
              '  baseline: bare node, same flags, nothing loaded (RssAnon / RssFile)',
              `${formatBytes(bare)} (${part(bareParts, 'anon')} / ${part(bareParts, 'file')})`,
              '',
            ],
            [
              '  the daemon over the baseline',
              `+${formatBytes(median(daemon) - bare)} (${(median(daemon) / bare).toFixed(2)}×)`,
              '',
            ],
          ]
        : [['deskside agent run: RSS idle', 'skipped: reads /proc (Linux only)', '']]),
      ["core with the daemon's flags: start → enrolled and online", ms(result.startMs), ''],
      ['  RSS right after start, median', `${formatBytes(median(starts))}${range(starts)}`, ''],
      [
        '  of which V8 heap: used / young generation / old (physical)',
        [result.heapAfterStart.used, result.heapAfterStart.newSpace, result.heapAfterStart.oldSpace]
          .map(formatBytes)
          .join(' / '),
        '',
      ],
      ...memoryRows('  ', result),
      [
        '  of which V8 heap idle again: used / young generation / old (physical)',
        [result.heapAfterSubmits.used, result.heapAfterSubmits.newSpace, result.heapAfterSubmits.oldSpace]
          .map(formatBytes)
          .join(' / '),
        '',
      ],
      ['  submit → stored, median', ms(median(result.latencies)), ''],
      ['  submit → stored, p95', ms(percentile(result.latencies, 95)), ''],
      ['  submit → stored, max', ms(Math.max(...result.latencies)), ''],
      ...memoryRows("core with Node's defaults: ", plain),
      ['  submit → stored, median', ms(median(plain.latencies)), ''],
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
