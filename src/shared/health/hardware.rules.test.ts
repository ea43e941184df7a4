import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import type { Filesystem, Snapshot } from '../snapshot';
import type { Finding, FindingCode } from './finding';
import { findingSchema } from './finding';
import type { HealthThresholds } from './rules';
import { DEFAULT_THRESHOLDS, evaluateHealth } from './rules';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Findings of one code, each checked against the wire schema. */
function run(snap: Snapshot, code: FindingCode, thresholds: HealthThresholds = DEFAULT_THRESHOLDS): Finding[] {
  return evaluateHealth(snap, thresholds)
    .map((f) => findingSchema.parse(f))
    .filter((f) => f.code === code);
}

function fs(mount: string, usePercent: number, patch: Partial<Filesystem> = {}): Filesystem {
  const sizeBytes = patch.sizeBytes ?? 80 * GiB;
  const usedBytes = Math.round((sizeBytes * usePercent) / 100);
  return {
    mount,
    device: '/dev/nvme0n1p3',
    fsType: 'ext4',
    sizeBytes,
    usedBytes,
    availableBytes: sizeBytes - usedBytes,
    usePercent,
    ...patch,
  };
}

const withFilesystems = (...filesystems: Filesystem[]) =>
  withSection(healthySnapshot(), 'storage', {
    filesystems: [...(healthySnapshot().sections.storage?.filesystems ?? []), ...filesystems],
  });

describe('disk.almost_full', () => {
  it('reports the concrete numbers the employee and technician can check', () => {
    const root = fs('/', 96, { usedBytes: 76.8 * GiB, availableBytes: 3.2 * GiB });
    const [finding, ...rest] = run(
      withSection(healthySnapshot(), 'storage', { filesystems: [root] }),
      'disk.almost_full',
    );
    expect(rest).toEqual([]);
    expect(finding).toEqual({
      code: 'disk.almost_full',
      severity: 'critical',
      title: 'Your disk is almost full',
      evidence: '/ is 96% full: 3.2 GB free of 80.0 GB',
      articleTags: ['disk-space', 'cleanup'],
    });
  });

  it.each([
    [89.9, null],
    [90, 'warning'],
    [94.9, 'warning'],
    [95, 'critical'],
    [100, 'critical'],
  ] as const)('at %d%% -> %s', (percent, severity) => {
    const findings = run(withFilesystems(fs('/data', percent)), 'disk.almost_full');
    expect(findings.map((f) => f.severity)).toEqual(severity ? [severity] : []);
  });

  it('gives one finding per full filesystem', () => {
    const findings = run(withFilesystems(fs('/', 91), fs('/home', 97)), 'disk.almost_full');
    expect(findings.map((f) => [f.severity, f.evidence.split(' ')[0]])).toEqual([
      ['critical', '/home'],
      ['warning', '/'],
    ]);
  });

  it.each(['squashfs', 'tmpfs', 'devtmpfs', 'iso9660', 'SquashFS'])('ignores %s', (fsType) => {
    expect(run(withFilesystems(fs('/mnt/x', 100, { fsType })), 'disk.almost_full')).toEqual([]);
  });

  it('does not ignore overlay, the real root of containers and immutable distros', () => {
    expect(run(withFilesystems(fs('/', 97, { fsType: 'overlay' })), 'disk.almost_full')).toHaveLength(1);
  });

  it('ignores snap mounts and the EFI partition', () => {
    const snap = withFilesystems(
      fs('/snap/firefox/5751', 100),
      fs('/boot/efi', 99, { fsType: 'vfat', sizeBytes: 2 * GiB }),
      fs('/boot/efi/EFI', 99, { fsType: 'vfat', sizeBytes: 2 * GiB }),
    );
    expect(run(snap, 'disk.almost_full')).toEqual([]);
  });

  it('ignores filesystems under 1 GiB but not at 1 GiB', () => {
    expect(run(withFilesystems(fs('/recovery', 99, { sizeBytes: GiB - 1 })), 'disk.almost_full')).toEqual([]);
    expect(run(withFilesystems(fs('/recovery', 99, { sizeBytes: GiB })), 'disk.almost_full')).toHaveLength(1);
  });

  it('follows custom thresholds', () => {
    const t = { ...DEFAULT_THRESHOLDS, diskWarnPercent: 70, diskCriticalPercent: 80 };
    expect(run(withFilesystems(fs('/', 75)), 'disk.almost_full', t).map((f) => f.severity)).toEqual(['warning']);
  });

  it('says nothing without a storage section', () => {
    expect(run(withoutSection(withFilesystems(fs('/', 99)), 'storage'), 'disk.almost_full')).toEqual([]);
  });
});

describe('disk.smart_failing', () => {
  const disk = healthySnapshot().sections.storage!.disks[0]!;

  it('is critical and names the disk', () => {
    const snap = withSection(healthySnapshot(), 'storage', { disks: [{ ...disk, smart: 'failing' }] });
    const [finding] = run(snap, 'disk.smart_failing');
    expect(finding?.severity).toBe('critical');
    expect(finding?.evidence).toBe(
      'Disk Samsung SSD 980 PRO 512GB (/dev/nvme0n1, serial S5GXNX0T123456A), 476.9 GB, reports SMART status "failing"',
    );
  });

  it('does not fire on ok or unknown', () => {
    const snap = withSection(healthySnapshot(), 'storage', { disks: [{ ...disk, smart: 'unknown' }, disk] });
    expect(run(snap, 'disk.smart_failing')).toEqual([]);
  });

  it('says nothing without a storage section', () => {
    const snap = withSection(healthySnapshot(), 'storage', { disks: [{ ...disk, smart: 'failing' }] });
    expect(run(withoutSection(snap, 'storage'), 'disk.smart_failing')).toEqual([]);
  });
});

describe('memory.pressure', () => {
  const memory = (usedPercent: number, swapTotalBytes: number, swapUsedBytes: number) =>
    withSection(healthySnapshot(), 'memory', {
      totalBytes: 16 * GiB,
      usedPercent,
      usedBytes: (16 * GiB * usedPercent) / 100,
      availableBytes: 1.1 * GiB,
      swapTotalBytes,
      swapUsedBytes,
    });

  it.each([
    ['89.9% with no swap', 89.9, 0, 0, null],
    ['90% with no swap', 90, 0, 0, 'warning'],
    ['90% with swap half used', 90, 4 * GiB, 2 * GiB, 'warning'],
    ['95% with swap just under half used', 95, 4 * GiB, 2 * GiB - 1, null],
    ['96.9% with idle swap', 96.9, 4 * GiB, 0, null],
    ['97% with idle swap', 97, 4 * GiB, 0, 'critical'],
    ['97% with no swap', 97, 0, 0, 'critical'],
  ] as const)('%s -> %s', (_label, used, swapTotal, swapUsed, severity) => {
    const findings = run(memory(used, swapTotal, swapUsed), 'memory.pressure');
    expect(findings.map((f) => f.severity)).toEqual(severity ? [severity] : []);
  });

  it('gives memory, swap and the biggest process', () => {
    const [finding] = run(memory(93, 4 * GiB, 3 * GiB), 'memory.pressure');
    expect(finding?.evidence).toBe(
      'Memory 93% used: 1.1 GB available of 16.0 GB; swap 75% used (3.0 GB of 4.0 GB); largest: firefox 1.3 GB',
    );
  });

  it('says "no swap" and leaves out processes when that section is missing', () => {
    const [finding] = run(withoutSection(memory(92, 0, 0), 'processes'), 'memory.pressure');
    expect(finding?.evidence).toBe('Memory 92% used: 1.1 GB available of 16.0 GB; no swap');
  });

  it('says nothing without a memory section', () => {
    expect(run(withoutSection(memory(99, 0, 0), 'memory'), 'memory.pressure')).toEqual([]);
  });
});

describe('battery.worn', () => {
  const battery = (healthPercent: number | null, cycleCount: number | null, present = true) =>
    withSection(healthySnapshot(), 'battery', { healthPercent, cycleCount, present });

  it.each([
    [60, 212, null],
    [59.9, 212, 'warning'],
    [40, 212, 'warning'],
    [39.9, 212, 'critical'],
    [90, 999, null],
    [90, 1000, 'warning'],
    [null, 1000, 'warning'],
    [30, 1500, 'critical'],
    [null, null, null],
  ] as const)('health %s%%, %s cycles -> %s', (health, cycles, severity) => {
    expect(run(battery(health, cycles), 'battery.worn').map((f) => f.severity)).toEqual(severity ? [severity] : []);
  });

  it('states capacity and cycles', () => {
    const [finding] = run(battery(52, 1043), 'battery.worn');
    expect(finding?.evidence).toBe('Battery holds 52% of its design capacity; 1043 charge cycles');
    expect(finding?.title).toBe('Your battery is worn out');
  });

  it('ignores an absent battery and a missing section', () => {
    expect(run(battery(10, 2000, false), 'battery.worn')).toEqual([]);
    expect(run(withoutSection(battery(10, 2000), 'battery'), 'battery.worn')).toEqual([]);
  });
});

describe('cpu.hog', () => {
  const hog = (...cpu: Array<[string, number, number]>) =>
    withSection(healthySnapshot(), 'processes', {
      topByCpu: cpu.map(([name, pid, cpuPercent]) => ({ pid, name, cpuPercent, memoryBytes: 300 * MiB, user: 'jdoe' })),
    });

  it('fires at the threshold, not just under it', () => {
    expect(run(hog(['firefox', 4121, 79.9]), 'cpu.hog')).toEqual([]);
    expect(run(hog(['firefox', 4121, 80]), 'cpu.hog').map((f) => f.severity)).toEqual(['warning']);
  });

  it('names the processes, busiest first, and explains the per-core percent', () => {
    const [finding, ...rest] = run(hog(['zoom', 7001, 95.2], ['firefox', 4121, 184], ['slack', 5307, 3]), 'cpu.hog');
    expect(rest).toEqual([]);
    expect(finding?.evidence).toBe(
      'firefox (pid 4121) at 184% CPU, zoom (pid 7001) at 95% CPU; 100% = one of 12 logical cores',
    );
  });

  it('lists at most three processes', () => {
    const [finding] = run(hog(['a', 1, 400], ['b', 2, 300], ['c', 3, 200], ['d', 4, 100]), 'cpu.hog');
    expect(finding?.evidence).toMatch(/^a \(pid 1\).*c \(pid 3\) at 200% CPU \(\+1 more\); /);
  });

  it('follows the configured threshold and copes without a cpu section', () => {
    const snap = withoutSection(hog(['make', 99, 150]), 'cpu');
    expect(run(snap, 'cpu.hog', { ...DEFAULT_THRESHOLDS, cpuHogPercent: 200 })).toEqual([]);
    expect(run(snap, 'cpu.hog')[0]?.evidence).toBe('make (pid 99) at 150% CPU; 100% = one logical core');
  });

  it('says nothing without a processes section', () => {
    expect(run(withoutSection(hog(['firefox', 4121, 300]), 'processes'), 'cpu.hog')).toEqual([]);
  });
});
