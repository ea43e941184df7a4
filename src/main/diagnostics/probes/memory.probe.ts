import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { parseMeminfo, type MemInfo } from '../parsers/linux-hw.parser';

/** Physical memory and swap use. */
export const memoryProbe = defineProbe({
  section: 'memory',
  budgetMs: 1500,
  async collect(ctx) {
    const mem = await memInfo(ctx);
    // "available" is what programs can still get without swapping; used = total - available.
    const available = mem.available > 0 ? mem.available : mem.free;
    const used = Math.max(0, mem.total - available);
    return {
      totalBytes: mem.total,
      usedBytes: used,
      availableBytes: available,
      usedPercent: mem.total > 0 ? Math.round((used / mem.total) * 1000) / 10 : 0,
      swapTotalBytes: mem.swapTotal,
      swapUsedBytes: Math.max(0, mem.swapTotal - mem.swapFree),
    };
  },
});

async function memInfo(ctx: ProbeContext): Promise<MemInfo> {
  if (ctx.platform === 'linux') {
    const parsed = parseMeminfo((await ctx.files.readText('/proc/meminfo', 64 * 1024)) ?? '');
    if (parsed) return parsed;
  }
  const mem = await ctx.si.mem();
  return {
    total: mem.total,
    free: mem.free,
    available: mem.available,
    swapTotal: mem.swaptotal,
    swapFree: Math.max(0, mem.swaptotal - mem.swapused),
  };
}
