import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { formatBytes } from '../../src/shared/format';
import { fusionInventoryCommand, runProcess, type ProcessRun } from './snapshot-process';
import { median, printTable } from './stats';

const run = promisify(execFile);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 9));

interface WarmResult {
  cold: number;
  warm: number[];
  maxRssBytes: number;
  size: { raw: number; gzip: number };
  probes: Record<string, number>;
}

interface Row {
  name: string;
  command: [string, string[]];
  runs: ProcessRun[];
}

/** The warm in-process figure (what the tray app pays per snapshot), from its own process. */
async function warmInProcess(args: string[]): Promise<WarmResult> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/snapshot-worker.ts', 'deskside', String(RUNS), ...args],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  if (stderr.trim()) console.log(stderr.trimEnd());
  return JSON.parse(stdout) as WarmResult;
}

/**
 * A full snapshot as a whole process (`deskside snapshot --json`) against fusioninventory-inventory
 * and a fresh process running systeminformation's getAllData(): runs interleaved, medians compared.
 */
export async function snapshotBench(): Promise<void> {
  const fusion = fusionInventoryCommand();
  const rows: Row[] = [
    {
      name: 'deskside snapshot --json',
      command: [process.execPath, ['dist/cli/deskside.js', 'snapshot', '--json']],
      runs: [],
    },
    ...(fusion ? [{ name: `fusioninventory-inventory ${fusion[1].join(' ')}`.trim(), command: fusion, runs: [] }] : []),
    {
      name: 'node -e si.getAllData()',
      command: [process.execPath, ['-e', "require('systeminformation').getAllData().then(() => process.exit(0))"]],
      runs: [],
    },
  ];
  console.log(`\n## Snapshot, whole process (${RUNS} runs each, interleaved)`);
  if (!fusion) {
    console.log(
      'fusioninventory-inventory is not installed: its row is skipped (Debian: apt-get install fusioninventory-agent)',
    );
  }
  for (let i = 0; i < RUNS; i++) {
    for (const row of rows) row.runs.push(await runProcess(row.command[0], row.command[1]));
  }
  const mid = (row: Row) => median(row.runs.map((r) => r.ms));
  const ms = (n: number) => `${Math.round(n)} ms`;
  const rss = (row: Row) => {
    const peaks = row.runs.map((r) => r.peakRssBytes).filter((n): n is number => n !== null);
    return peaks.length ? formatBytes(Math.max(...peaks)) : 'n/a';
  };
  printTable([
    ['', 'median', 'min', 'max', 'peak RSS (max)'],
    ...rows.map((row) => {
      const times = row.runs.map((r) => r.ms);
      return [row.name, ms(mid(row)), ms(Math.min(...times)), ms(Math.max(...times)), rss(row)];
    }),
  ]);
  const [ours, ...baselines] = rows;
  if (!ours) return;
  for (const base of baselines) {
    console.log(`ratio deskside / ${base.name}: ${(mid(ours) / mid(base)).toFixed(2)}× (target ≤ 0.50×)`);
  }
  printProbeTimes(ours.runs);

  // A local stand-in for the help-desk server so the server and URL checks do real HTTP round trips.
  const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 204).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const warm = await warmInProcess([base, `${base}/intranet`]);
    console.log(
      `warm in-process snapshot (tray app, server and URL checks on): median ${ms(median(warm.warm))}, ` +
        `cold ${ms(warm.cold)}, peak RSS ${formatBytes(warm.maxRssBytes)}; ` +
        `size ${formatBytes(warm.size.raw)} raw, ${formatBytes(warm.size.gzip)} gzipped (target < 40 KB gzipped)`,
    );
  } finally {
    server.close();
  }
}

/** Median time of each probe over the whole-process runs, slowest first, with any status that was not ok. */
function printProbeTimes(runs: readonly ProcessRun[]): void {
  const times = new Map<string, number[]>();
  const notOk = new Map<string, Set<string>>();
  for (const r of runs) {
    const probes = (JSON.parse(r.stdout) as { probes: Record<string, { status: string; durationMs: number }> }).probes;
    for (const [name, p] of Object.entries(probes)) {
      times.set(name, [...(times.get(name) ?? []), p.durationMs]);
      if (p.status !== 'ok') notOk.set(name, (notOk.get(name) ?? new Set()).add(p.status));
    }
  }
  const rows = [...times].map(([name, t]) => [name, median(t)] as const).sort((a, b) => b[1] - a[1]);
  console.log(
    `probe times, whole process (median): ${rows
      .map(
        ([name, t]) =>
          `${name} ${Math.round(t)} ms${notOk.has(name) ? ` [${[...(notOk.get(name) ?? [])].join('/')}]` : ''}`,
      )
      .join(', ')}`,
  );
}
