/*
 * Pure readers of Linux /proc files (formats documented in proc(5)). Reading /proc directly
 * is both faster than spawning `ps` and private by construction: command lines are never read.
 */

/** Aggregate CPU time counters from the first line of /proc/stat. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/** Parses the aggregate `cpu` line of /proc/stat. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal (guest is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const idleAll = idle + iowait;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idleAll };
}

/** Share of CPU time spent busy between two /proc/stat readings, 0–100. */
export function cpuBusyPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return clamp(((after.busy - before.busy) / total) * 100, 0, 100);
}

/** The fields of /proc/<pid>/stat the agent uses. */
export interface ProcStat {
  pid: number;
  name: string;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
  rssPages: number;
}

/** Parses /proc/<pid>/stat; the name sits in parentheses and may itself contain ')' or spaces. */
export function parsePidStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 2).split(' ');
  // After the name: state(3) ppid(4) … utime(14) stime(15) … rss(24); rest[0] is field 3.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const rss = Number(rest[21]);
  if (!Number.isInteger(pid) || !Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return { pid, name: text.slice(open + 1, close), cpuTicks: utime + stime, rssPages: Number.isFinite(rss) ? rss : 0 };
}

/** The real user id from /proc/<pid>/status (`Uid:` line, first field). */
export function parseStatusUid(text: string): number | null {
  const match = /^Uid:\s+(\d+)/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** Maps user ids to names from /etc/passwd. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) users.set(Number(uid), name);
  }
  return users;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
