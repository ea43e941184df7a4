import type { SystemEvent } from '../snapshot';
import { formatCount, formatDuration, formatList } from '../format';
import type { HealthRule } from './rule';
import { clip } from './rule';

/*
 * Rules about the operating system's state: uptime, pending restarts, services and crashes.
 */

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Shows an ISO timestamp as "2025-02-01 08:12" in the device's own offset: the wall-clock time
 * the employee remembers, and the same text on every machine that renders it.
 */
function wallClock(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}` : iso;
}

/** Weeks without a restart: memory leaks, stuck updates and stale drivers pile up. */
export const uptimeLong: HealthRule<'uptime.long'> = {
  code: 'uptime.long',
  title: 'Restart your computer',
  articleTags: ['restart'],
  evaluate(snapshot, t) {
    const os = snapshot.sections.os;
    if (!os || os.uptimeSeconds < t.uptimeWarnDays * DAY_SECONDS) return [];
    return [
      {
        severity: 'warning',
        evidence: `Up for ${formatDuration(os.uptimeSeconds)}, since ${wallClock(os.lastBoot)}`,
      },
    ];
  },
};

/** Updates installed but not active until the next restart. */
export const rebootPending: HealthRule<'reboot.pending'> = {
  code: 'reboot.pending',
  title: 'Restart to finish installing updates',
  articleTags: ['restart', 'updates'],
  evaluate(snapshot) {
    const os = snapshot.sections.os;
    if (os?.pendingReboot !== true) return [];
    const reasons = os.pendingRebootReasons.map((reason) => clip(reason, 120));
    return [
      {
        severity: 'warning',
        evidence:
          reasons.length > 0
            ? `A restart is pending: ${formatList(reasons, 5)}`
            : 'A restart is pending (the system gave no reason)',
      },
    ];
  },
};

/** Services the service manager reports as failed. */
export const servicesFailed: HealthRule<'services.failed'> = {
  code: 'services.failed',
  title: 'Some background services have stopped working',
  articleTags: ['services', 'restart'],
  evaluate(snapshot) {
    const services = snapshot.sections.services;
    if (!services || services.failed.length === 0) return [];
    const names = services.failed.map((s) => clip(s.name, 80));
    return [
      {
        severity: 'warning',
        evidence: `${formatCount(names.length, 'failed service')}: ${formatList(names, 5)}`,
      },
    ];
  },
};

/**
 * What a crash looks like in journald, the Windows System log and the unified log. Matched on
 * source and message together so "systemd-coredump" counts as well as "core dumped".
 */
const CRASH_PATTERN = new RegExp(
  [
    'crash',
    'segfault',
    'segmentation fault',
    'core ?dump',
    'dumped core',
    'code=dumped',
    'kernel panic',
    '\\bpanic\\(', // macOS: "panic(cpu 0 caller …)"
    '\\boops\\b', // Linux kernel oops
    'bug ?check',
    'unexpected shutdown',
    'shut ?down unexpectedly',
    'shutdown .{0,80}was unexpected', // Windows event 6008
    'without cleanly shutting down', // Windows Kernel-Power 41
    'terminated unexpectedly',
    'stopped working',
    'faulting application',
  ].join('|'),
  'i',
);

/** Whether a system log entry records a crash rather than an ordinary error. */
export function isCrashEvent(event: SystemEvent): boolean {
  return event.level === 'critical' || CRASH_PATTERN.test(`${event.source} ${event.message}`);
}

/** Apps or the system crashing within the log window. */
export const recentCrashes: HealthRule<'events.recent_crashes'> = {
  code: 'events.recent_crashes',
  title: 'Apps or the system crashed recently',
  articleTags: ['crashes', 'stability'],
  evaluate(snapshot, t) {
    const events = snapshot.sections.events;
    if (!events) return [];
    const crashes = events.entries.filter(isCrashEvent);
    if (crashes.length < t.crashWarnCount) return [];

    const perSource = new Map<string, number>();
    for (const crash of crashes) perSource.set(crash.source, (perSource.get(crash.source) ?? 0) + 1);
    const sources = [...perSource]
      .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : a > b ? 1 : 0))
      .map(([source, n]) => (n > 1 ? `${clip(source, 60)} (${n})` : clip(source, 60)));
    const latest = crashes.reduce((a, b) => (Date.parse(b.time) > Date.parse(a.time) ? b : a));
    const window = events.windowHours > 0 ? `in the last ${events.windowHours} h` : 'recently';
    return [
      {
        severity: crashes.length >= t.crashCriticalCount ? 'critical' : 'warning',
        evidence:
          `${formatCount(crashes.length, 'crash', 'crashes')} ${window} from ${formatList(sources, 3)}; ` +
          `latest: ${clip(latest.message, 200)}`,
      },
    ];
  },
};
