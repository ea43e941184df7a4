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
  const started = performance.now();
  const [statBefore, first] = await Promise.all([ctx.files.readText('/proc/stat', 4096), readAll(ctx)]);
  // No abort signal: the window is shared, and one probe's budget must not cut it short for the other.
  await sleep(ctx.settings.cpuSampleMs);
  const [statAfter, second] = await Promise.all([ctx.files.readText('/proc/stat', 4096), readAll(ctx)]);
  const before = parseProcStat(statBefore ?? '');
  const after = parseProcStat(statAfter ?? '');
  return {
    cpu: before && after ? { before, after } : null,
    first,
    second,
    seconds: (performance.now() - started) / 1000,
  };
}

async function readAll(ctx: ProbeContext): Promise<Map<number, ProcStat>> {
  const pids = ((await ctx.files.list('/proc')) ?? []).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => ctx.files.readText(`/proc/${pid}/stat`, 4096)));
  const out = new Map<number, ProcStat>();
  for (const text of stats) {
    const stat = text ? parsePidStat(text) : null;
    if (stat) out.set(stat.pid, stat);
  }
  return out;
}
