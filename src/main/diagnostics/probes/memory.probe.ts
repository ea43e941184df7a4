import { defineProbe } from '../probe';

/** Physical memory and swap use. */
export const memoryProbe = defineProbe({
  section: 'memory',
  budgetMs: 1500,
  async collect(ctx) {
    const mem = await ctx.si.mem();
    // "available" is what programs can still get without swapping; used = total - available.
    const available = mem.available > 0 ? mem.available : mem.free;
    const used = Math.max(0, mem.total - available);
    return {
      totalBytes: mem.total,
      usedBytes: used,
      availableBytes: available,
      usedPercent: mem.total > 0 ? Math.round((used / mem.total) * 1000) / 10 : 0,
      swapTotalBytes: mem.swaptotal,
      swapUsedBytes: mem.swapused,
    };
  },
});
