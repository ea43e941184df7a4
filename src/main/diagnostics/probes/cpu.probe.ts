import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { cpuBusyPercent, parseProcStat } from '../parsers/proc.parser';

/** Processor model, cores, current load (sampled), load average and temperature. */
export const cpuProbe = defineProbe({
  section: 'cpu',
  budgetMs: 2000,
  async collect(ctx) {
    const [cpu, load, temperature] = await Promise.all([
      ctx.si.cpu(),
      currentLoad(ctx),
      ctx.si.cpuTemperature().catch(() => null),
    ]);
    const averages = loadavg();
    const main = temperature?.main;
    return {
      manufacturer: cpu.manufacturer || null,
      brand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || 'unknown',
      speedGHz: cpu.speed > 0 ? cpu.speed : null,
      physicalCores: cpu.physicalCores,
      logicalCores: cpu.cores,
      loadPercent: Math.round(load * 10) / 10,
      // Windows reports zeros: there is no load average there.
      loadAverage:
        ctx.platform === 'win32' ? null : ([averages[0], averages[1], averages[2]] as [number, number, number]),
      temperatureC: typeof main === 'number' && main > 0 ? main : null,
    };
  },
});

async function currentLoad(ctx: ProbeContext): Promise<number> {
  if (ctx.platform === 'linux') {
    const before = parseProcStat((await ctx.files.readText('/proc/stat', 4096)) ?? '');
    if (before) {
      await sleep(ctx.settings.cpuSampleMs, undefined, { signal: ctx.signal });
      const after = parseProcStat((await ctx.files.readText('/proc/stat', 4096)) ?? '');
      if (after) return cpuBusyPercent(before, after);
    }
  }
  const load = await ctx.si.currentLoad();
  return Math.min(100, Math.max(0, load.currentLoad || 0));
}
