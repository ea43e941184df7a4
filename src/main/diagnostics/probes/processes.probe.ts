import type { ProcessInfo, Sections } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { parsePasswd, parseStatusUid } from '../parsers/proc.parser';
import { procSample } from './proc-sample';

const TOP = 10;
// USER_HZ is 100 on every mainstream Linux architecture (see proc(5), "clock ticks").
const CLOCK_TICKS = 100;

/** Top processes by CPU and by memory: names only, never command lines. */
export const processesProbe = defineProbe({
  section: 'processes',
  budgetMs: 2500,
  async collect(ctx) {
    return ctx.platform === 'linux' ? linuxProcesses(ctx) : siProcesses(ctx);
  },
});

async function linuxProcesses(ctx: ProbeContext): Promise<Sections['processes']> {
  const [{ first, second, seconds }, page] = await Promise.all([procSample(ctx), pageSize(ctx)]);

  const rows = [...second.values()].map((now) => {
    const before = first.get(now.pid);
    const ticks = before && before.name === now.name ? now.cpuTicks - before.cpuTicks : 0;
    return { stat: now, cpuPercent: Math.max(0, (ticks / CLOCK_TICKS / seconds) * 100) };
  });
  const byCpu = [...rows].sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, TOP);
  const byMem = [...rows].sort((a, b) => b.stat.rssPages - a.stat.rssPages).slice(0, TOP);
  const users = await userNames(
    ctx,
    [...byCpu, ...byMem].map((r) => r.stat.pid),
  );

  const toInfo = (r: (typeof rows)[number]): ProcessInfo => ({
    pid: r.stat.pid,
    name: r.stat.name.slice(0, 256),
    cpuPercent: Math.round(r.cpuPercent * 10) / 10,
    memoryBytes: r.stat.rssPages * page,
    user: users.get(r.stat.pid) ?? null,
  });
  return {
    total: second.size,
    sampleMs: Math.round(seconds * 1000),
    topByCpu: byCpu.map(toInfo),
    topByMemory: byMem.map(toInfo),
  };
}

async function userNames(ctx: ProbeContext, pids: number[]): Promise<Map<number, string>> {
  const passwd = parsePasswd((await ctx.files.readText('/etc/passwd', 1024 * 1024)) ?? '');
  const unique = [...new Set(pids)];
  const statuses = await Promise.all(unique.map((pid) => ctx.files.readText(`/proc/${pid}/status`, 8192)));
  const out = new Map<number, string>();
  unique.forEach((pid, i) => {
    const uid = parseStatusUid(statuses[i] ?? '');
    if (uid !== null) out.set(pid, passwd.get(uid) ?? String(uid));
  });
  return out;
}

async function pageSize(ctx: ProbeContext): Promise<number> {
  // The first mapping in smaps names the kernel page size; cheaper than spawning getconf.
  const smaps = (await ctx.files.readText('/proc/self/smaps', 4096)) ?? '';
  const kb = Number(/^KernelPageSize:\s+(\d+) kB/m.exec(smaps)?.[1]);
  return Number.isInteger(kb) && kb > 0 ? kb * 1024 : 4096;
}

async function siProcesses(ctx: ProbeContext): Promise<Sections['processes']> {
  const data = await ctx.si.processes();
  // systeminformation also returns command, params and path: they are deliberately not copied.
  const rows = data.list.map((p) => ({
    pid: p.pid,
    name: (p.name || 'unknown').slice(0, 256),
    cpuPercent: Math.round(Math.max(0, p.cpu) * 10) / 10,
    memoryBytes: Math.max(0, p.memRss) * 1024,
    user: p.user || null,
  }));
  return {
    total: data.all,
    sampleMs: 0,
    topByCpu: [...rows].sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, TOP),
    topByMemory: [...rows].sort((a, b) => b.memoryBytes - a.memoryBytes).slice(0, TOP),
  };
}
