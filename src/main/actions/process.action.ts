import type { ActionParams } from '../../shared/actions/catalog';
import { processNamesMatch } from './process-table';
import { done, failed, type ActionContext, type ActionImpls, type ImplOutcome } from './types';

/** process.top on every OS: the process table port sampled once, sorted, cut to `count`. */
async function top(p: ActionParams<'process.top'>, ctx: ActionContext): Promise<ImplOutcome> {
  const table = ctx.ports.processes;
  if (!table) return failed('unsupported', 'No process table is available on this agent');
  const rows = await table.list(ctx.signal);
  const key = p.sortBy === 'cpu' ? ('cpuPercent' as const) : ('memoryBytes' as const);
  const sorted = [...rows].sort((a, b) => b[key] - a[key] || a.pid - b.pid).slice(0, p.count);
  ctx.write(`${'PID'.padStart(8)}  ${'CPU%'.padStart(6)}  ${'MEM MiB'.padStart(9)}  NAME\n`);
  for (const r of sorted) {
    ctx.write(
      `${String(r.pid).padStart(8)}  ${r.cpuPercent.toFixed(1).padStart(6)}  ${(r.memoryBytes / 1048576).toFixed(1).padStart(9)}  ${r.name}\n`,
    );
  }
  return done({ sortBy: p.sortBy, total: rows.length, processes: sorted });
}

/**
 * process.end on every OS: the pid must still belong to a process of the requested name (a pid reused by
 * another program is left alone), then it gets SIGTERM (on Windows, process.kill ends it).
 */
async function end(p: ActionParams<'process.end'>, ctx: ActionContext): Promise<ImplOutcome> {
  const table = ctx.ports.processes;
  const kill = ctx.ports.kill ?? ((pid: number) => process.kill(pid, 'SIGTERM'));
  if (!table) return failed('unsupported', 'No process table is available on this agent');
  if (p.pid === process.pid) return failed('refused', 'The agent does not end itself', { pid: p.pid });
  const actual = await table.nameOf(p.pid);
  if (actual === null) return failed('no-such-process', `No process has id ${p.pid}`, { pid: p.pid, ended: false });
  if (!processNamesMatch(actual, p.name)) {
    return failed(
      'name-mismatch',
      `Process ${p.pid} is ${JSON.stringify(actual)}, not ${JSON.stringify(p.name)}: left alone`,
      {
        pid: p.pid,
        actualName: actual,
        ended: false,
      },
    );
  }
  try {
    kill(p.pid);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    return failed(code === 'EPERM' ? 'permission-denied' : 'kill-failed', `Could not end ${p.pid}: ${code}`, {
      pid: p.pid,
      ended: false,
    });
  }
  ctx.write(`Sent the end signal to ${actual} (${p.pid})\n`);
  return done({ pid: p.pid, name: actual, ended: true });
}

/** process.top on each OS. */
export const processTopAction: ActionImpls<'process.top'> = { linux: top, darwin: top, win32: top };
/** process.end on each OS. */
export const processEndAction: ActionImpls<'process.end'> = { linux: end, darwin: end, win32: end };
