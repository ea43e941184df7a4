import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeContext } from '../probe';
import { parsePidStat, parseProcStat, type CpuTimes, type ProcStat } from '../parsers/proc.parser';
import { readProc, type ProcReading } from './proc-reading';
import { monotonicMs } from '../../services/monotonic-clock';

/** Two readings of /proc, one sampling window apart: the whole machine's CPU times and every process. */
export interface ProcSample {
  cpu: { before: CpuTimes; after: CpuTimes } | null;
  first: Map<number, ProcStat>;
  second: Map<number, ProcStat>;
  seconds: number;
}

/** A first reading older than this is not used: the window it opens would not be "now". */
const BASELINE_MAX_AGE_MS = 2_000;

/**
 * The Linux sampling window, taken once per collection and shared by the CPU and process probes,
 * so a snapshot waits `cpuSampleMs` once rather than once per probe. Where the caller took the first
 * reading already (`settings.procBaseline`: the CLI, at start), the window started then and only
 * what is left of it is waited.
 */
export function procSample(ctx: ProbeContext): Promise<ProcSample> {
  return ctx.shared('linux-proc-sample', () => takeSample(ctx));
}

async function takeSample(ctx: ProbeContext): Promise<ProcSample> {
  const baseline = ctx.settings.procBaseline;
  const before = baseline && monotonicMs() - baseline.at < BASELINE_MAX_AGE_MS ? baseline : await readNow(ctx);
  // No abort signal: the window is shared, and one probe's budget must not cut it short for the other.
  const left = ctx.settings.cpuSampleMs - (monotonicMs() - before.at);
  if (left > 0) await sleep(left);
  const after = await readNow(ctx);
  const cpuBefore = parseProcStat(before.stat ?? '');
  const cpuAfter = parseProcStat(after.stat ?? '');
  return {
    cpu: cpuBefore && cpuAfter ? { before: cpuBefore, after: cpuAfter } : null,
    first: parseAll(before),
    second: parseAll(after),
    seconds: (after.at - before.at) / 1000,
  };
}

/** One reading through the probe's file port; every stat synchronously, so the reading is one instant. */
async function readNow(ctx: ProbeContext): Promise<ProcReading> {
  const pids = (await ctx.files.list('/proc')) ?? [];
  return readProc(pids, (path) => ctx.files.readTextSync(path, 4096));
}

function parseAll(reading: ProcReading): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const text of reading.pids.values()) {
    const stat = parsePidStat(text);
    if (stat) out.set(stat.pid, stat);
  }
  return out;
}
