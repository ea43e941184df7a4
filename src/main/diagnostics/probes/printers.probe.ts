import type { Systeminformation } from 'systeminformation';
import { LPSTAT_JOBS_COMMAND, parseLpstatJobs } from '../parsers/lpstat.parser';
import { defineProbe, type ProbeContext } from '../probe';
import { linuxPrinters } from './linux-devices';
import { cleanField, runCommand } from './probe-utils';

/** The schema's cap on printers. */
const MAX_PRINTERS = 64;
const LPSTAT_TIMEOUT_MS = 2000;

/**
 * CUPS derives queue names from display names by replacing spaces and punctuation with "_";
 * comparing both in this folded form lets "HP LaserJet Pro" match the queue "HP_LaserJet_Pro".
 */
export function foldPrinterName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/**
 * Queued jobs per printer from `lpstat -o`, keyed by folded queue name; null when CUPS cannot
 * be asked (lpstat missing, scheduler down), which is "unknown", not an error of the section.
 */
async function queuedJobs(ctx: ProbeContext): Promise<Map<string, number> | null> {
  const out = await runCommand(ctx, LPSTAT_JOBS_COMMAND, LPSTAT_TIMEOUT_MS);
  if (!out || out.exitCode !== 0) return null;
  const folded = new Map<string, number>();
  for (const [queue, count] of parseLpstatJobs(out.stdout)) {
    const key = foldPrinterName(queue);
    folded.set(key, (folded.get(key) ?? 0) + count);
  }
  return folded;
}

/**
 * Names under which CUPS may know this printer. systeminformation reports the description as
 * `name` on Linux, and the queue as the first word of `model` (with a stray ">" when it read
 * printers.conf); on macOS `name` is the display name.
 */
function queueCandidates(p: Pick<Systeminformation.PrinterData, 'name' | 'model'>): string[] {
  return [p.name, (p.model ?? '').replace(/>$/, '')].filter((s) => typeof s === 'string' && s.trim() !== '');
}

function jobsFor(
  p: Pick<Systeminformation.PrinterData, 'name' | 'model'>,
  jobs: Map<string, number> | null,
): number | null {
  if (jobs === null) return null;
  for (const candidate of queueCandidates(p)) {
    const count = jobs.get(foldPrinterName(candidate));
    if (count !== undefined) return count;
  }
  // lpstat answered and listed nothing for this printer: its queue is empty.
  return 0;
}

/** Installed printers, their state, and on CUPS systems how many jobs wait in each queue. */
export const printersProbe = defineProbe({
  section: 'printers',
  budgetMs: 3000,
  async collect(ctx) {
    const printers = ((ctx.platform === 'linux' ? await linuxPrinters(ctx) : await ctx.si.printer()) ?? []).slice(
      0,
      MAX_PRINTERS,
    );
    const cups = ctx.platform === 'linux' || ctx.platform === 'darwin';
    // Without printers there is no queue worth a process spawn.
    const jobs = cups && printers.length > 0 ? await queuedJobs(ctx) : null;
    return {
      printers: printers.map((p) => ({
        name: cleanField(p.name) ?? cleanField((p.model ?? '').replace(/>$/, '')) ?? 'Printer',
        status: cleanField(p.status, 64),
        isDefault: p.default === true,
        // On Linux without root, systeminformation falls back to `lpstat -lp`, which never
        // prints the shared flag, so its `false` would be a guess.
        shared: ctx.platform === 'linux' ? null : typeof p.shared === 'boolean' ? p.shared : null,
        queuedJobs: jobsFor(p, jobs),
      })),
    };
  },
});
