import { monotonicMs } from '../../services/monotonic-clock';
/*
 * One reading of /proc for the CPU and process probes' sampling window: the machine's CPU times and
 * every process's stat, as raw text, at one instant. Imports nothing, so the CLI's entry can take the
 * first reading the moment a snapshot command starts (src/cli/deskside.ts) and the window runs while
 * the rest of the program loads; the probes take the second (proc-sample.ts).
 */
export interface ProcReading {
  /** monotonicMs() when it was read (the same clock in the whole process). */
  at: number;
  /** /proc/stat, or null where it cannot be read. */
  stat: string | null;
  /** Each process's /proc/PID/stat text, by pid. */
  pids: Map<string, string>;
}

/** Reads /proc/stat and every listed process's stat, synchronously (a few ms for hundreds of processes). */
export function readProc(pids: readonly string[], read: (path: string) => string | null): ProcReading {
  const at = monotonicMs();
  const stat = read('/proc/stat');
  const texts = new Map<string, string>();
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    const text = read(`/proc/${pid}/stat`);
    if (text) texts.set(pid, text);
  }
  return { at, stat, pids: texts };
}
