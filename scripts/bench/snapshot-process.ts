// Whole-process runs for the snapshot benchmark: wall time and peak RSS of one command per run.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProcessRun {
  ms: number;
  /** Peak resident set size of the child (GNU time's %M), null where it cannot be measured. */
  peakRssBytes: number | null;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion; rejects on a non-zero exit. */
export function runProcess(command: string, args: readonly string[]): Promise<ProcessRun> {
  const timed = existsSync(GNU_TIME);
  const rssFile = join(tmpdir(), `deskside-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [bin, argv] = timed ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, [...args]];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(bin, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      const ms = performance.now() - started;
      let peakRssBytes: number | null = null;
      if (timed) {
        try {
          const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
          peakRssBytes = Number.isFinite(kb) ? kb * 1024 : null;
        } catch {
          peakRssBytes = null;
        }
        rmSync(rssFile, { force: true });
      }
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message.split('\n')[0]}`));
      else resolve({ ms, peakRssBytes, stdout });
    });
  });
}

/** The fusioninventory-inventory invocation that prints the inventory, or null when it is not installed. */
export function fusionInventoryCommand(): [string, string[]] | null {
  const bin = ['/usr/bin/fusioninventory-inventory', '/usr/local/bin/fusioninventory-inventory'].find((p) =>
    existsSync(p),
  );
  if (!bin) return null;
  // 2.6 (Debian 12) prints to stdout by default and rejects --stdout; versions that know it want it.
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  return [bin, `${help.stdout}${help.stderr}`.includes('--stdout') ? ['--stdout'] : []];
}
