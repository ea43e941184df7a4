import type { ServiceInfo } from '../../../shared/snapshot/snapshot';
import type { CommandSpec } from './parse-utils';
import { LIMITS, cleanText, splitFields, splitLines } from './parse-utils';

/** The job listing parseLaunchctlList reads: "PID<TAB>Status<TAB>Label" rows after a header. */
export const LAUNCHCTL_COMMAND: CommandSpec = ['launchctl', ['list']];

/**
 * Jobs that are not running and whose last exit was not clean, at most 100. Per launchctl(1) the
 * Status column is the last exit status, or the negated signal number when a signal stopped the
 * job, so the state reads "exited 78" or "killed by signal 9".
 */
export function parseLaunchctlList(text: string): ServiceInfo[] {
  const failed: ServiceInfo[] = [];
  for (const line of splitLines(text)) {
    // launchctl separates columns with tabs; fall back to spaces for copies that lost them.
    const fields = line.includes('\t') ? line.split('\t') : splitFields(line, 3);
    if (fields.length < 3) continue;
    const [pid = '', status = '', ...labelParts] = fields.map((f) => f.trim());
    const label = labelParts.join('\t');
    // "PID Status Label" header, running jobs, and statuses that are not integers.
    if (pid !== '-' || !/^-?\d{1,10}$/.test(status) || label === '') continue;
    const code = Number(status);
    if (code === 0) continue;
    // launchd reaps idle Apple agents with SIGTERM/SIGKILL all day long: noise, not failures.
    if (label.startsWith('com.apple.') && (code === -9 || code === -15)) continue;
    failed.push({
      name: cleanText(label, LIMITS.name) ?? label.slice(0, LIMITS.name),
      state: code > 0 ? `exited ${code}` : `killed by signal ${-code}`,
      description: null,
    });
    if (failed.length >= LIMITS.services) break;
  }
  return failed;
}
