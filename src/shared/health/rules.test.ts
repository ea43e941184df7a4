import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import { SECTION_NAMES } from '../snapshot';
import type { Snapshot } from '../snapshot';
import { FINDING_CODES, findingSchema, SEVERITY_RANK } from './finding';
import { DEFAULT_THRESHOLDS, evaluateHealth, HEALTH_RULES } from './rules';
import { healthThresholdsSchema } from './thresholds.schema';

const GiB = 1024 ** 3;

/** A laptop with every problem the rules know, so each rule fires once or more. */
function sickSnapshot(): Snapshot {
  let snap = healthySnapshot();
  const root = {
    mount: '/',
    device: '/dev/nvme0n1p3',
    fsType: 'ext4',
    sizeBytes: 80 * GiB,
    usedBytes: 76.8 * GiB,
    availableBytes: 3.2 * GiB,
    usePercent: 96,
  };
  const disk = { ...snap.sections.storage!.disks[0]!, smart: 'failing' as const };
  snap = withSection(snap, 'storage', { disks: [disk], filesystems: [root] });
  snap = withSection(snap, 'memory', { usedPercent: 98 });
  snap = withSection(snap, 'battery', { healthPercent: 55, cycleCount: 1100 });
  snap = withSection(snap, 'os', {
    uptimeSeconds: 41 * 86_400,
    pendingReboot: true,
    pendingRebootReasons: ['kernel update'],
  });
  snap = withSection(snap, 'network', { defaultGateway: null, dnsServers: [] });
  snap = withSection(snap, 'connectivity', {
    checks: (['gateway', 'dns', 'server', 'url'] as const).map((kind) => ({
      kind,
      target: `${kind}.example`,
      status: 'failed' as const,
      latencyMs: null,
      detail: null,
    })),
  });
  snap = withSection(snap, 'services', { failed: [{ name: 'cups.service', state: 'failed', description: null }] });
  snap = withSection(snap, 'processes', {
    topByCpu: [{ pid: 7, name: 'indexer', cpuPercent: 350, memoryBytes: GiB, user: 'jdoe' }],
  });
  snap = withSection(snap, 'events', {
    entries: [
      {
        time: '2025-03-12T08:00:00+01:00',
        source: 'kernel',
        level: 'critical',
        id: null,
        message: 'Kernel panic - not syncing',
      },
    ],
  });
  snap = withSection(snap, 'security', {
    firewall: { enabled: false, product: 'ufw' },
    diskEncryption: { enabled: false, method: null },
    antivirus: [{ name: 'ClamAV', enabled: false, upToDate: false }],
  });
  return snap;
}

describe('HEALTH_RULES', () => {
  it('has exactly one rule per finding code, in FINDING_CODES order', () => {
    expect(HEALTH_RULES.map((r) => r.code)).toEqual([...FINDING_CODES]);
  });

  it('has employee-friendly titles and stable kebab-case article tags', () => {
    for (const rule of HEALTH_RULES) {
      expect(rule.title.length, rule.code).toBeGreaterThan(5);
      expect(rule.title, rule.code).toMatch(/^[A-Z]/);
      expect(rule.title, rule.code).not.toMatch(/[._]/); // no codes or jargon like "smart_failing"
      expect(rule.articleTags.length, rule.code).toBeGreaterThan(0);
      for (const tag of rule.articleTags) expect(tag).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe('DEFAULT_THRESHOLDS', () => {
  it('validates against its own schema and is frozen', () => {
    expect(healthThresholdsSchema.parse(DEFAULT_THRESHOLDS)).toEqual(DEFAULT_THRESHOLDS);
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
  });
});

describe('evaluateHealth', () => {
  it('finds nothing wrong with a healthy laptop', () => {
    expect(evaluateHealth(healthySnapshot())).toEqual([]);
  });

  it('fires every rule on a laptop with every problem, each finding valid', () => {
    const findings = evaluateHealth(sickSnapshot());
    for (const finding of findings) expect(() => findingSchema.parse(finding)).not.toThrow();
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(FINDING_CODES));
  });

  it('never reports on what it cannot see: no sections, no findings', () => {
    const blind = SECTION_NAMES.reduce((snap, name) => withoutSection(snap, name), sickSnapshot());
    expect(evaluateHealth(blind)).toEqual([]);
  });

  it('drops exactly the findings that need a missing section', () => {
    const all = evaluateHealth(sickSnapshot()).map((f) => f.code);
    const without = (name: (typeof SECTION_NAMES)[number]) =>
      new Set(evaluateHealth(withoutSection(sickSnapshot(), name)).map((f) => f.code));
    expect(all.filter((c) => !without('storage').has(c)).sort()).toEqual(['disk.almost_full', 'disk.smart_failing']);
    expect([...without('os')]).not.toContain('uptime.long');
    expect([...without('os')]).not.toContain('reboot.pending');
    expect([...without('security')].filter((c) => c.startsWith('security.'))).toEqual([]);
    // DNS is judged from either the checks or the configuration, so losing one keeps it.
    expect([...without('connectivity')]).toContain('network.dns_failing');
  });

  it("orders findings most severe first, then by code, keeping one rule's hits in order", () => {
    let snap = healthySnapshot();
    const fs = (mount: string, usePercent: number) => ({
      mount,
      device: null,
      fsType: 'ext4',
      sizeBytes: 100 * GiB,
      usedBytes: usePercent * GiB,
      availableBytes: (100 - usePercent) * GiB,
      usePercent,
    });
    snap = withSection(snap, 'storage', { filesystems: [fs('/', 91), fs('/data', 92)] });
    snap = withSection(snap, 'os', { uptimeSeconds: 20 * 86_400 });
    snap = withSection(snap, 'network', { defaultGateway: null });
    snap = withSection(snap, 'device', { type: 'desktop' });
    snap = withSection(snap, 'security', { diskEncryption: { enabled: false, method: null } });
    snap = withSection(snap, 'services', { failed: [{ name: 'cups.service', state: 'failed', description: null }] });
    expect(evaluateHealth(snap).map((f) => [f.severity, f.code, f.evidence.split(' ')[0]])).toEqual([
      ['critical', 'network.no_gateway', 'No'],
      ['warning', 'disk.almost_full', '/'],
      ['warning', 'disk.almost_full', '/data'],
      ['warning', 'services.failed', '1'],
      ['warning', 'uptime.long', 'Up'],
      ['info', 'security.disk_unencrypted', 'Disk'],
    ]);
  });

  it('keeps the sick snapshot sorted by severity then code', () => {
    const findings = evaluateHealth(sickSnapshot());
    for (let i = 1; i < findings.length; i++) {
      const a = findings[i - 1]!;
      const b = findings[i]!;
      const rank = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
      expect(rank < 0 || (rank === 0 && a.code <= b.code), `${a.code} before ${b.code}`).toBe(true);
    }
  });

  it('uses the thresholds it is given', () => {
    const snap = withSection(healthySnapshot(), 'os', { uptimeSeconds: 3 * 86_400 });
    expect(evaluateHealth(snap)).toEqual([]);
    expect(evaluateHealth(snap, { ...DEFAULT_THRESHOLDS, uptimeWarnDays: 2 }).map((f) => f.code)).toEqual([
      'uptime.long',
    ]);
  });

  it('hands out article tags the caller may change without touching the rules', () => {
    const snap = withSection(healthySnapshot(), 'os', { uptimeSeconds: 30 * 86_400 });
    evaluateHealth(snap)[0]!.articleTags.push('mutated');
    expect(evaluateHealth(snap)[0]!.articleTags).toEqual(['restart']);
  });
});
