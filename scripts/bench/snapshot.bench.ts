import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { formatBytes } from '../../src/shared/format';
import { median, printTable } from './stats';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface WorkerResult {
  cold: number;
  warm: number[];
  maxRssBytes: number;
  size: { raw: number; gzip: number };
  probes: Record<string, number>;
}

async function worker(mode: 'deskside' | 'baseline', args: string[]): Promise<WorkerResult> {
  const { stdout, stderr } = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/snapshot-worker.ts', mode, String(RUNS), ...args],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  if (stderr.trim()) console.log(stderr.trimEnd());
  return JSON.parse(stdout) as WorkerResult;
}

/** Full snapshot vs systeminformation's getAllData(), same machine, same run. */
export async function snapshotBench(): Promise<void> {
  // A local stand-in for the help-desk server so the server and URL checks do real HTTP round trips.
  const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? 200 : 204).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    console.log(`\n## Snapshot (${RUNS} warm runs each, after one cold run; each side in its own process)`);
    const deskside = await worker('deskside', [base, `${base}/intranet`]);
    const baseline = await worker('baseline', []);
    const ours = median(deskside.warm);
    const theirs = median(baseline.warm);
    printTable([
      ['', 'median', 'min', 'max', 'cold', 'peak RSS'],
      row('deskside full snapshot', deskside),
      row('si.getAllData() baseline', baseline),
    ]);
    console.log(`ratio deskside / getAllData(): ${(ours / theirs).toFixed(2)}× (target ≤ 0.50×)`);
    console.log(
      `snapshot size: ${formatBytes(deskside.size.raw)} raw, ${formatBytes(deskside.size.gzip)} gzipped (target < 40 KB gzipped)`,
    );
    const slowest = Object.entries(deskside.probes).sort((a, b) => b[1] - a[1]);
    console.log(`probe times (last run): ${slowest.map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ')}`);
  } finally {
    server.close();
  }
}

function row(name: string, r: WorkerResult): string[] {
  const ms = (n: number) => `${Math.round(n)} ms`;
  return [
    name,
    ms(median(r.warm)),
    ms(Math.min(...r.warm)),
    ms(Math.max(...r.warm)),
    ms(r.cold),
    formatBytes(r.maxRssBytes),
  ];
}
