import type { CommandSpec } from './parse-utils';
import { LIMITS, splitFields, splitLines } from './parse-utils';

/** The job listing parseLpstatJobs reads: one "<printer>-<job id> user size date" line per job. */
export const LPSTAT_JOBS_COMMAND: CommandSpec = ['lpstat', ['-o']];

/**
 * Counts queued jobs per printer (at most 64 printers, the schema's bound). The printer is the
 * job id without its last "-<digits>": CUPS names may contain dashes, never spaces.
 */
export function parseLpstatJobs(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of splitLines(text)) {
    // Indented lines are job details (lpstat -l); they are not jobs of their own.
    if (line === '' || line[0] === ' ' || line[0] === '\t') continue;
    const [jobId = ''] = splitFields(line, 2);
    const printer = printerOf(jobId);
    if (printer === null) continue;
    const known = counts.get(printer);
    if (known === undefined && counts.size >= LIMITS.printers) continue;
    counts.set(printer, (known ?? 0) + 1);
  }
  return counts;
}

function printerOf(jobId: string): string | null {
  const dash = jobId.lastIndexOf('-');
  if (dash <= 0 || dash === jobId.length - 1) return null;
  for (let i = dash + 1; i < jobId.length; i++) {
    const code = jobId.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return null;
  }
  return jobId.slice(0, dash);
}
