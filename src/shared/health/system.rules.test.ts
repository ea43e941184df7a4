import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import type { Snapshot, SystemEvent } from '../snapshot';
import type { Finding, FindingCode } from './finding';
import { findingSchema } from './finding';
import { evaluateHealth, isCrashEvent } from './rules';

const DAY = 86_400;

/** Findings of one code, each checked against the wire schema. */
function run(snap: Snapshot, code: FindingCode): Finding[] {
  return evaluateHealth(snap)
    .map((f) => findingSchema.parse(f))
    .filter((f) => f.code === code);
}

describe('uptime.long', () => {
  const up = (uptimeSeconds: number, lastBoot = '2025-01-30T08:12:45+01:00') =>
    withSection(healthySnapshot(), 'os', { uptimeSeconds, lastBoot });

  it('fires at 14 days, not a second before', () => {
    expect(run(up(14 * DAY - 1), 'uptime.long')).toEqual([]);
    expect(run(up(14 * DAY), 'uptime.long').map((f) => f.severity)).toEqual(['warning']);
  });

  it('tells the employee to restart and the technician since when', () => {
    const [finding] = run(up(41 * DAY + 3600), 'uptime.long');
    expect(finding?.title).toBe('Restart your computer');
    expect(finding?.evidence).toBe('Up for 41 days, since 2025-01-30 08:12');
    expect(finding?.articleTags).toEqual(['restart']);
  });

  it('says nothing without an os section', () => {
    expect(run(withoutSection(up(90 * DAY), 'os'), 'uptime.long')).toEqual([]);
  });
});

describe('reboot.pending', () => {
  it('gives the reasons', () => {
    const snap = withSection(healthySnapshot(), 'os', {
      pendingReboot: true,
      pendingRebootReasons: ['/var/run/reboot-required', 'linux-image-6.8.0-55-generic'],
    });
    const [finding] = run(snap, 'reboot.pending');
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toBe('A restart is pending: /var/run/reboot-required, linux-image-6.8.0-55-generic');
  });

  it('still fires when the system gave no reason', () => {
    const snap = withSection(healthySnapshot(), 'os', { pendingReboot: true, pendingRebootReasons: [] });
    expect(run(snap, 'reboot.pending')[0]?.evidence).toBe('A restart is pending (the system gave no reason)');
  });

  it('does not fire on false, unknown or a missing section', () => {
    expect(run(withSection(healthySnapshot(), 'os', { pendingReboot: null }), 'reboot.pending')).toEqual([]);
    expect(run(healthySnapshot(), 'reboot.pending')).toEqual([]);
    const pending = withSection(healthySnapshot(), 'os', { pendingReboot: true });
    expect(run(withoutSection(pending, 'os'), 'reboot.pending')).toEqual([]);
  });
});

describe('services.failed', () => {
  const failing = (...names: string[]) =>
    withSection(healthySnapshot(), 'services', {
      failed: names.map((name) => ({ name, state: 'failed', description: null })),
    });

  it('fires on one failed service', () => {
    const [finding] = run(failing('cups.service'), 'services.failed');
    expect(finding?.severity).toBe('warning');
    expect(finding?.evidence).toBe('1 failed service: cups.service');
  });

  it('names up to five and counts the rest', () => {
    const [finding] = run(failing('a', 'b', 'c', 'd', 'e', 'f', 'g'), 'services.failed');
    expect(finding?.evidence).toBe('7 failed services: a, b, c, d, e (+2 more)');
  });

  it('says nothing when none failed or the section is missing', () => {
    expect(run(healthySnapshot(), 'services.failed')).toEqual([]);
    expect(run(withoutSection(failing('x.service'), 'services'), 'services.failed')).toEqual([]);
  });
});

describe('isCrashEvent', () => {
  const event = (message: string, source = 'kernel', level: SystemEvent['level'] = 'error'): SystemEvent => ({
    time: '2025-03-12T08:00:00+01:00',
    source,
    level,
    id: null,
    message,
  });

  it.each([
    'firefox[4121]: segfault at 0 ip 00007f3a sp 00007ffd error 4 in libxul.so',
    'Process 4121 (firefox) of user 1000 dumped core.',
    'gnome-shell.service: Main process exited, code=dumped, status=11/SEGV',
    'Oops: 0000 [#1] PREEMPT SMP NOPTI',
    'Kernel panic - not syncing: Fatal exception',
    'The computer has rebooted from a bugcheck. The bugcheck was: 0x0000009f',
    'The previous system shutdown at 3:02:11 PM on 12.03.2025 was unexpected.',
    'The system has rebooted without cleanly shutting down first.',
    'The Print Spooler service terminated unexpectedly. It has done this 1 time(s).',
    'Outlook has stopped working',
    'Application crashed: Teams',
  ])('recognises "%s"', (message) => {
    expect(isCrashEvent(event(message))).toBe(true);
  });

  it('recognises crash reporters by source and any critical entry', () => {
    expect(isCrashEvent(event('Process 4121 (firefox) of user 1000 terminated abnormally', 'systemd-coredump'))).toBe(
      true,
    );
    expect(isCrashEvent(event('Thermal shutdown imminent', 'kernel', 'critical'))).toBe(true);
  });

  it.each([
    'ACPI BIOS Error (bug): Could not resolve symbol [\\_TZ.ETMD], AE_NOT_FOUND',
    'Failed to set mode: Blocked through rfkill (0x12)',
    'Failed to start NetworkManager-wait-online.service',
    'The Windows Update service entered the stopped state.',
  ])('ignores an ordinary error: "%s"', (message) => {
    expect(isCrashEvent(event(message, 'systemd'))).toBe(false);
  });
});

describe('events.recent_crashes', () => {
  const crashes = (...entries: Array<[source: string, time: string]>) =>
    withSection(healthySnapshot(), 'events', {
      total: entries.length,
      entries: [
        ...(healthySnapshot().sections.events?.entries ?? []),
        ...entries.map(([source, time]) => ({
          time,
          source,
          level: 'error' as const,
          id: null,
          message: `${source} crashed at ${time.slice(11, 16)}`,
        })),
      ],
    });
  const times = (n: number) => Array.from({ length: n }, (_, i) => `2025-03-12T0${i}:00:00+01:00`);

  it('does not count the ordinary errors of a healthy laptop', () => {
    expect(run(healthySnapshot(), 'events.recent_crashes')).toEqual([]);
  });

  it.each([
    [1, 'warning'],
    [4, 'warning'],
    [5, 'critical'],
  ] as const)('%d crashes -> %s', (n, severity) => {
    const snap = crashes(...times(n).map((t): [string, string] => ['firefox', t]));
    expect(run(snap, 'events.recent_crashes').map((f) => f.severity)).toEqual([severity]);
  });

  it('counts, names up to three sources by frequency and quotes the latest', () => {
    const snap = crashes(
      ['zoom', '2025-03-12T01:00:00+01:00'],
      ['firefox', '2025-03-12T02:00:00+01:00'],
      ['firefox', '2025-03-12T05:00:00+01:00'],
      ['slack', '2025-03-12T03:00:00+01:00'],
      ['gnome-shell', '2025-03-12T04:00:00+01:00'],
    );
    const [finding] = run(snap, 'events.recent_crashes');
    expect(finding?.evidence).toBe(
      '5 crashes in the last 24 h from firefox (2), gnome-shell, slack (+1 more); latest: firefox crashed at 05:00',
    );
  });

  it('says nothing without an events section', () => {
    expect(
      run(withoutSection(crashes(['firefox', '2025-03-12T02:00:00+01:00']), 'events'), 'events.recent_crashes'),
    ).toEqual([]);
  });
});
