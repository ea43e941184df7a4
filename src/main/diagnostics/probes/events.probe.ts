import type { Sections, SystemEvent } from '../../../shared/snapshot';
import type { ProbeContext } from '../probe';
import { defineProbe } from '../probe';
import { JOURNAL_COMMAND, parseJournalJson } from '../parsers/journal.parser';
import { MACOS_LOG_COMMAND, parseMacosLog } from '../parsers/macos-log.parser';
import { parseWindowsEvents, WINDOWS_EVENTS_SCRIPT } from '../parsers/windows-events.parser';

type Events = Sections['events'];
const MAX_ENTRIES = 50;
const WINDOW_HOURS = 24;

/** Errors and critical events of the system log over the last 24 hours. */
export const eventsProbe = defineProbe({
  section: 'events',
  // macOS's unified log is slow to query; the others answer in milliseconds.
  budgetMs: 6000,
  async collect(ctx) {
    switch (ctx.platform) {
      case 'linux':
        return journald(ctx);
      case 'win32':
        return windows(ctx);
      case 'darwin':
        return unified(ctx);
      default:
        return empty('none');
    }
  },
});

function empty(log: Events['log']): Events {
  return { log, windowHours: WINDOW_HOURS, total: 0, entries: [] };
}

function events(log: Events['log'], parsed: { total: number; entries: SystemEvent[] }): Events {
  return { log, windowHours: WINDOW_HOURS, total: parsed.total, entries: parsed.entries.slice(0, MAX_ENTRIES) };
}

async function journald(ctx: ProbeContext): Promise<Events> {
  const [bin, args] = JOURNAL_COMMAND;
  const result = await ctx.run.run(bin, args, { signal: ctx.signal, timeoutMs: 3000 });
  if (!result.ok) {
    if (result.error.code === 'not_found') return empty('none');
    throw new Error(result.error.message);
  }
  // journalctl exits 1 with "No journal files were found" on systems without a journal.
  if (result.value.exitCode !== 0 && result.value.stdout.trim() === '') return empty('none');
  return events('journald', parseJournalJson(result.value.stdout, MAX_ENTRIES));
}

async function windows(ctx: ProbeContext): Promise<Events> {
  const result = await ctx.powershell.run(WINDOWS_EVENTS_SCRIPT, { timeoutMs: 5000 });
  if (!result.ok) throw new Error(result.error.message);
  return events('windows-system', parseWindowsEvents(result.value, MAX_ENTRIES));
}

async function unified(ctx: ProbeContext): Promise<Events> {
  const [bin, args] = MACOS_LOG_COMMAND;
  const result = await ctx.run.run(bin, args, { signal: ctx.signal, timeoutMs: 5500, maxBytes: 64 * 1024 * 1024 });
  if (!result.ok) throw new Error(result.error.message);
  return events('unified-log', parseMacosLog(result.value.stdout, MAX_ENTRIES));
}
