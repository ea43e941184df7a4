import { loadavg } from 'node:os';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { parseCpuinfo, type CpuInfo } from '../parsers/linux-hw.parser';
import { cpuBusyPercent } from '../parsers/proc.parser';
import { procSample } from './proc-sample';

// hwmon drivers of CPU packages (Intel, AMD, ARM SoCs), and thermal zone types that are the CPU.
const CPU_HWMON = new Set(['coretemp', 'k10temp', 'zenpower', 'cpu_thermal', 'soc_thermal', 'cpu-thermal']);
const CPU_ZONE = /x86_pkg_temp|cpu|soc/i;

/** Processor model, cores, current load (sampled), load average and temperature. */
export const cpuProbe = defineProbe({
  section: 'cpu',
  budgetMs: 2000,
  async collect(ctx) {
    const linux = ctx.platform === 'linux';
    const [cpu, load, temperature] = await Promise.all([
      linux ? linuxCpu(ctx) : siCpu(ctx),
      currentLoad(ctx),
      (linux ? linuxTemperature(ctx) : ctx.si.cpuTemperature().then((t) => t.main)).catch(() => null),
    ]);
    const averages = loadavg();
    return {
      ...cpu,
      loadPercent: Math.round(load * 10) / 10,
      // Windows reports zeros: there is no load average there.
      loadAverage:
        ctx.platform === 'win32' ? null : ([averages[0], averages[1], averages[2]] as [number, number, number]),
      temperatureC: typeof temperature === 'number' && temperature > 0 ? temperature : null,
    };
  },
});

type Model = Pick<CpuInfo, 'manufacturer' | 'brand' | 'physicalCores' | 'logicalCores'> & { speedGHz: number | null };

/** Linux: /proc/cpuinfo, and the base frequency from cpufreq when the model name does not state it. */
async function linuxCpu(ctx: ProbeContext): Promise<Model> {
  const info = parseCpuinfo((await ctx.files.readText('/proc/cpuinfo', 4 * 1024 * 1024)) ?? '');
  if (!info) return siCpu(ctx);
  const { manufacturer, brand, physicalCores, logicalCores } = info;
  let speedGHz = info.speedGHz;
  if (speedGHz === null) {
    const khz = Number((await ctx.files.readText('/sys/devices/system/cpu/cpu0/cpufreq/base_frequency', 64))?.trim());
    speedGHz = Number.isFinite(khz) && khz > 0 ? Math.round(khz / 10_000) / 100 : null;
  }
  return { manufacturer, brand, speedGHz, physicalCores, logicalCores };
}

async function siCpu(ctx: ProbeContext): Promise<Model> {
  const cpu = await ctx.si.cpu();
  return {
    manufacturer: cpu.manufacturer || null,
    brand: [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ') || 'unknown',
    speedGHz: cpu.speed > 0 ? cpu.speed : null,
    physicalCores: cpu.physicalCores,
    logicalCores: cpu.cores,
  };
}

/** Linux: the CPU package sensor from hwmon, else a CPU thermal zone; °C. */
async function linuxTemperature(ctx: ProbeContext): Promise<number | null> {
  const celsius = (text: string | null) => {
    const milli = Number(text?.trim());
    return Number.isFinite(milli) && milli > 0 ? Math.round(milli / 100) / 10 : null;
  };
  for (const mon of (await ctx.files.list('/sys/class/hwmon')) ?? []) {
    const base = `/sys/class/hwmon/${mon}`;
    const name = (await ctx.files.readText(`${base}/name`, 256))?.trim() ?? '';
    if (!CPU_HWMON.has(name)) continue;
    const value = celsius(await ctx.files.readText(`${base}/temp1_input`, 64));
    if (value !== null) return value;
  }
  for (const zone of ((await ctx.files.list('/sys/class/thermal')) ?? []).filter((z) => z.startsWith('thermal_zone'))) {
    const base = `/sys/class/thermal/${zone}`;
    const type = (await ctx.files.readText(`${base}/type`, 256))?.trim() ?? '';
    if (!CPU_ZONE.test(type)) continue;
    const value = celsius(await ctx.files.readText(`${base}/temp`, 64));
    if (value !== null) return value;
  }
  return null;
}

async function currentLoad(ctx: ProbeContext): Promise<number> {
  if (ctx.platform === 'linux') {
    const sample = await procSample(ctx);
    if (sample.cpu) return cpuBusyPercent(sample.cpu.before, sample.cpu.after);
  }
  const load = await ctx.si.currentLoad();
  return Math.min(100, Math.max(0, load.currentLoad || 0));
}
