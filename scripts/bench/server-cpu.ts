import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';

/*
 * CPU time of the processes that do a submission's work: the server (and its cluster workers) and,
 * on PostgreSQL, the backends serving its database — without them PostgreSQL's figure would leave
 * out the database's share, which SQLite's figure includes (it runs inside the server process).
 * WAL writer, checkpointer and the other shared background processes are not counted.
 */

function statFields(pid: string): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  } catch {
    return [];
  }
}

// utime + stime (fields 14 and 15 of /proc/pid/stat), in ticks of 10 ms.
const cpuOf = (fields: string[]) => ((Number(fields[11]) || 0) + (Number(fields[12]) || 0)) * 10;

/** CPU time (user + system, all threads) of one process alone; 0 where unavailable. */
export function processCpuMs(pid: number | undefined): number {
  return pid === undefined ? 0 : cpuOf(statFields(String(pid)));
}

/** CPU time (user + system, all threads) of a process and its direct children (cluster workers); 0 where unavailable. */
export function serverCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const children = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && statFields(p)[1] === String(pid));
  return cpuOf(statFields(String(pid))) + children.reduce((sum, child) => sum + cpuOf(statFields(child)), 0);
}

/** Per-backend CPU of the PostgreSQL backends connected to one database, read between two points in time. */
export interface BackendCpu {
  /** CPU ms the database's backends used since the reader was made (backends started since count from zero). */
  sinceStart(): Promise<number>;
  close(): Promise<void>;
}

/** Reads the CPU of `database`'s backends through pg_stat_activity and /proc (same machine only; 0 otherwise). */
export async function pgBackendCpu(adminUrl: string, database: string): Promise<BackendCpu> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const sample = async () => {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return new Map(rows.map((r) => [r.pid, cpuOf(statFields(String(r.pid)))]));
  };
  const start = await sample();
  return {
    async sinceStart() {
      const now = await sample();
      let total = 0;
      for (const [pid, cpu] of now) total += cpu - (start.get(pid) ?? 0);
      return total;
    },
    close: () => client.end(),
  };
}
