import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePidStat, type ProcStat } from '../diagnostics/parsers/proc.parser';
import { readProc } from '../diagnostics/probes/proc-reading';
import type { SystemInfo } from '../diagnostics/system-info';
import type { ProcessRow, ProcessTable } from './types';

// USER_HZ is 100 on every mainstream Linux architecture (proc(5), "clock ticks").
const CLOCK_TICKS = 100;
const SAMPLE_MS = 250;
const PAGE = 4096;

const readSync = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
};

/** Linux: two readings of /proc (the probes' reader and parser), SAMPLE_MS apart; names only, never command lines. */
export function createLinuxProcessTable(procRoot = '/proc'): ProcessTable {
  const reading = () => {
    let pids: string[] = [];
    try {
      pids = readdirSync(procRoot);
    } catch {
      // No /proc: an empty table.
    }
    const raw = readProc(pids, (path) => readSync(path.replace(/^\/proc/, procRoot)));
    const out = new Map<number, ProcStat>();
    for (const text of raw.pids.values()) {
      const stat = parsePidStat(text);
      if (stat) out.set(stat.pid, stat);
    }
    return { at: raw.at, stats: out };
  };
  return {
    async list(signal) {
      const first = reading();
      await sleep(SAMPLE_MS, undefined, { signal });
      const second = reading();
      const seconds = (second.at - first.at) / 1000;
      return [...second.stats.values()].map((now): ProcessRow => {
        const before = first.stats.get(now.pid);
        const ticks = before && before.name === now.name ? now.cpuTicks - before.cpuTicks : 0;
        return {
          pid: now.pid,
          name: now.name,
          cpuPercent: Math.round(Math.max(0, (ticks / CLOCK_TICKS / seconds) * 100) * 10) / 10,
          memoryBytes: now.rssPages * PAGE,
        };
      });
    },
    async nameOf(pid) {
      return parsePidStat(readSync(`${procRoot}/${pid}/stat`) ?? '')?.name ?? null;
    },
  };
}

/** Windows and macOS: systeminformation's process list (its own sampling). */
export function createSiProcessTable(si: Pick<SystemInfo, 'processes'>): ProcessTable {
  const rows = async (): Promise<ProcessRow[]> =>
    (await si.processes()).list.map((p) => ({
      pid: p.pid,
      name: p.name || 'unknown',
      cpuPercent: Math.round(Math.max(0, p.cpu) * 10) / 10,
      memoryBytes: Math.max(0, p.memRss) * 1024,
    }));
  return {
    list: () => rows(),
    async nameOf(pid) {
      return (await rows()).find((p) => p.pid === pid)?.name ?? null;
    },
  };
}

/**
 * Does a running process's name match the name a request gives? Case-insensitive; ".exe" optional
 * (Windows); Linux's /proc comm is cut at 15 characters, so a 15-character name matches a longer request
 * that starts with it.
 */
export function processNamesMatch(actual: string, requested: string): boolean {
  const norm = (n: string) => n.toLowerCase().replace(/\.exe$/, '');
  const a = norm(actual);
  const r = norm(requested);
  return a === r || (actual.length === 15 && r.startsWith(a));
}
