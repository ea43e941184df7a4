import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeContext } from '../probe';
import { parsePidStat, parseProcStat, type CpuTimes, type ProcStat } from '../parsers/proc.parser';

/** Two readings of /proc, one sampling window apart: the whole machine's CPU times and every process. */
export interface ProcSample {
  cpu: { before: CpuTimes; after: CpuTimes } | null;
  first: Map<number, ProcStat>;
  second: Map<number, ProcStat>;
  seconds: number;
}

/**
 * The Linux sampling window, taken once per collection and shared by the CPU and process probes,
 * so a snapshot waits `cpuSampleMs` once rather than once per probe.
 */
export function procSample(ctx: ProbeContext): Promise<ProcSample> {
  return ctx.shared('linux-proc-sample', () => takeSample(ctx));
}

async function takeSample(ctx: ProbeContext): Promise<ProcSample> {
  const pidsBefore = await listPids(ctx);
  const started = performance.now();
  const statBefore = ctx.files.readTextSync('/proc/stat', 4096);
  const first = readAll(ctx, pidsBefore);
  // No abort signal: the window is shared, and one probe's budget must not cut it short for the other.
  await sleep(ctx.settings.cpuSampleMs);
  const pidsAfter = await listPids(ctx);
  const statAfter = ctx.files.readTextSync('/proc/stat', 4096);
  const second = readAll(ctx, pidsAfter);
  const seconds = (performance.now() - started) / 1000;
  const before = parseProcStat(statBefore ?? '');
  const after = parseProcStat(statAfter ?? '');
  return {
    cpu: before && after ? { before, after } : null,
    first,
    second,
    seconds,
  };
}

async function listPids(ctx: ProbeContext): Promise<string[]> {
  return ((await ctx.files.list('/proc')) ?? []).filter((name) => /^\d+$/.test(name));
}

/**
 * Every process's stat, read synchronously (a few milliseconds for hundreds of processes), so each
 * reading is one instant and the window does not wait on the thread pool behind other probes' I/O.
 */
function readAll(ctx: ProbeContext, pids: readonly string[]): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  for (const pid of pids) {
    const text = ctx.files.readTextSync(`/proc/${pid}/stat`, 4096);
    const stat = text ? parsePidStat(text) : null;
    if (stat) out.set(stat.pid, stat);
  }
  return out;
}
