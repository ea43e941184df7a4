// The `deskside` command as a user starts it: whole processes from a cold start (a new Node each run),
// wall time and CPU time per run and peak RSS (from /usr/bin/time), beside `node -e 0` and an empty ESM
// file measured in the same run, interleaved so machine load falls on every row alike.
// `npx tsx scripts/bench/cli.bench.ts` runs it alone. BENCH_CLI_RUNS (default 20) runs per fast command,
// BENCH_CLI_SNAPSHOT_RUNS (default 15) for `snapshot --json`; BENCH_CLI_COMPARE=/path/to/bin/deskside.js
// adds the same rows for another build (e.g. an older checkout) to compare in one run.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatBytes } from '../../src/shared/format';
import { median, percentile, printTable } from './stats';

const RUNS = Math.max(15, Number(process.env.BENCH_CLI_RUNS ?? 20));
const SNAPSHOT_RUNS = Math.max(15, Number(process.env.BENCH_CLI_SNAPSHOT_RUNS ?? 15));
const TARGET_MS = 80;
const TIME = '/usr/bin/time';

interface Case {
  name: string;
  args: string[];
  runs: number;
  target?: string;
  baseline?: boolean;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rss: number;
}

/** Runs one command as a new process under /usr/bin/time; wall time is measured from here. */
async function runOnce(args: string[], timeFile: string): Promise<Sample> {
  const started = performance.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%U %S %M', '-o', timeFile, process.execPath, ...args], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (c) => resolve(c ?? -1));
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  const [user, sys, maxKb] = (await readFile(timeFile, 'utf8')).trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallMs, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, rss: (maxKb ?? 0) * 1024 };
}

function cases(empty: string): Case[] {
  const builds: Array<[string, string]> = [['deskside', 'bin/deskside.js']];
  if (process.env.BENCH_CLI_COMPARE) builds.push(['compare', process.env.BENCH_CLI_COMPARE]);
  const list: Case[] = [
    { name: 'node -e 0', args: ['-e', '0'], runs: RUNS, baseline: true },
    { name: 'node empty.mjs', args: [empty], runs: RUNS },
  ];
  for (const [label, bin] of builds) {
    list.push(
      { name: `${label} --version`, args: [bin, '--version'], runs: RUNS, target: `< ${TARGET_MS} ms` },
      { name: `${label} --help`, args: [bin, '--help'], runs: RUNS, target: `< ${TARGET_MS} ms` },
      { name: `${label} snapshot --json`, args: [bin, 'snapshot', '--json'], runs: SNAPSHOT_RUNS },
    );
  }
  return list;
}

/** Prints the CLI's start-up and snapshot figures against bare Node. */
export async function benchCli(): Promise<void> {
  if (!existsSync('dist/cli/deskside.js'))
    execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  if (!existsSync(TIME)) {
    console.log(`\n## CLI start-up\n\nskipped: ${TIME} (GNU time) is needed for CPU time and peak RSS`);
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'deskside-cli-bench-'));
  try {
    const empty = join(dir, 'empty.mjs');
    await writeFile(empty, '');
    const timeFile = join(dir, 'time.txt');
    const list = cases(empty);
    const samples = new Map<Case, Sample[]>(list.map((c) => [c, []]));
    // One warm-up each (file cache), then rounds across all cases: load spikes hit every row.
    for (const c of list) await runOnce(c.args, timeFile);
    const rounds = Math.max(...list.map((c) => c.runs));
    for (let round = 0; round < rounds; round++) {
      for (const c of list) if (round < c.runs) samples.get(c)!.push(await runOnce(c.args, timeFile));
    }
    const base = samples.get(list.find((c) => c.baseline)!)!;
    const baseWall = median(base.map((s) => s.wallMs));
    const baseCpu = median(base.map((s) => s.cpuMs));
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    console.log(`\n## CLI start-up (whole processes, ${RUNS} runs; snapshot ${SNAPSHOT_RUNS})\n`);
    const rows = list.map((c) => {
      const s = samples.get(c)!;
      const wall = median(s.map((x) => x.wallMs));
      const cpu = median(s.map((x) => x.cpuMs));
      return [
        c.name,
        ms(wall),
        ms(
          percentile(
            s.map((x) => x.wallMs),
            95,
          ),
        ),
        `${(wall / baseWall).toFixed(2)}×`,
        ms(cpu),
        `${(cpu / baseCpu).toFixed(2)}×`,
        formatBytes(median(s.map((x) => x.rss))),
        c.target ?? '',
      ];
    });
    printTable([
      ['command', 'wall median', 'wall p95', '÷ node -e 0', 'CPU median', '÷ node -e 0', 'peak RSS', 'target'],
      ...rows,
    ]);
    console.log(
      `\nTarget: --version and --help under ${TARGET_MS} ms whole-process. On a busy machine read the ratios:` +
        ` bare Node is ~40 ms when idle, so ≤ 2× node -e 0 meets it.`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCli();
