import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionParams } from '../../shared/actions/catalog';
import { netStopNotStarted, runSteps, type Argv } from './exec-utils';
import { done, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

type SpoolerParams = ActionParams<'printing.restart-spooler'>;

/**
 * The restart per OS. Windows: `net stop spooler`, the files in the spool folder deleted, `net start spooler`
 * (Microsoft Learn, "Net stop"/"Net start"; the spool folder is %SystemRoot%\System32\spool\PRINTERS).
 * macOS and Linux (CUPS): `cancel -a` cancels every job on every destination (cancel(1)), then the
 * scheduler restarts (`launchctl kickstart -k system/org.cups.cupsd`; `systemctl restart cups.service`).
 */
export function spoolerArgv(
  platform: 'linux' | 'win32' | 'darwin',
  clearJobs: boolean,
): { before: Argv[]; after: Argv[] } {
  switch (platform) {
    case 'win32':
      return { before: [['net', ['stop', 'spooler']]], after: [['net', ['start', 'spooler']]] };
    case 'darwin':
      return {
        before: clearJobs ? [['cancel', ['-a']]] : [],
        after: [['launchctl', ['kickstart', '-k', 'system/org.cups.cupsd']]],
      };
    case 'linux':
      return {
        before: clearJobs ? [['cancel', ['-a']]] : [],
        after: [['systemctl', ['restart', '--', 'cups.service']]],
      };
  }
}

/** Deletes the spool files (not folders, not links) of a stopped Windows spooler; answers how many. */
export async function clearSpoolFolder(dir: string): Promise<number> {
  let count = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const info = await lstat(path).catch(() => null);
    if (
      info?.isFile() &&
      (await unlink(path).then(
        () => true,
        () => false,
      ))
    )
      count++;
  }
  return count;
}

function restart(platform: 'linux' | 'win32' | 'darwin', spoolDir: string) {
  return async (p: SpoolerParams, ctx: ActionContext): Promise<ImplOutcome> => {
    const { before, after } = spoolerArgv(platform, p.clearJobs);
    // A crashed spooler is the usual reason for a restart: "not started" on stop is fine.
    const first = await runSteps(ctx, before, {}, (command) => (command === 'net' ? netStopNotStarted : undefined));
    if (!first.ok) return first;
    const jobsDeleted = platform === 'win32' && p.clearJobs ? await clearSpoolFolder(spoolDir) : null;
    const second = await runSteps(ctx, after);
    const steps = [...(first.fields.steps as unknown[]), ...(second.fields.steps as unknown[])];
    return second.ok
      ? done({ clearJobs: p.clearJobs, jobsDeleted, steps }, 0)
      : { ...second, fields: { ...second.fields, steps } };
  };
}

/** printing.restart-spooler on each OS; `spoolDir` is the Windows spool folder (tests pass a temp one). */
export function createSpoolerAction(
  spoolDir = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'spool', 'PRINTERS'),
): ActionImpls<'printing.restart-spooler'> {
  return { linux: restart('linux', spoolDir), darwin: restart('darwin', spoolDir), win32: restart('win32', spoolDir) };
}
