import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import type { Sections, Snapshot } from '../snapshot';
import type { Finding, FindingCode } from './finding';
import { findingSchema } from './finding';
import { evaluateHealth } from './rules';

/** Findings of one code, each checked against the wire schema. */
function run(snap: Snapshot, code: FindingCode): Finding[] {
  return evaluateHealth(snap)
    .map((f) => findingSchema.parse(f))
    .filter((f) => f.code === code);
}

const security = (patch: Partial<Sections['security']>, snap = healthySnapshot()) =>
  withSection(snap, 'security', patch);

describe('security.firewall_off', () => {
  it('is a warning naming the firewall', () => {
    expect(run(security({ firewall: { enabled: false, product: 'ufw' } }), 'security.firewall_off')).toMatchObject([
      { severity: 'warning', title: 'Your firewall is turned off', evidence: 'Firewall (ufw) is turned off' },
    ]);
    expect(run(security({ firewall: { enabled: false, product: null } }), 'security.firewall_off')[0]?.evidence).toBe(
      'Firewall is turned off',
    );
  });

  it('does not fire when on, unknown or missing', () => {
    expect(run(healthySnapshot(), 'security.firewall_off')).toEqual([]);
    expect(run(security({ firewall: { enabled: null, product: null } }), 'security.firewall_off')).toEqual([]);
    const off = security({ firewall: { enabled: false, product: 'ufw' } });
    expect(run(withoutSection(off, 'security'), 'security.firewall_off')).toEqual([]);
  });
});

describe('security.disk_unencrypted', () => {
  const off = { diskEncryption: { enabled: false, method: null } };

  it('is a warning on a laptop', () => {
    expect(run(security(off), 'security.disk_unencrypted')).toMatchObject([
      { severity: 'warning', evidence: 'Disk encryption is off on this laptop' },
    ]);
  });

  it('is only info on a desktop, a virtual machine, or an unknown device', () => {
    const desktop = security(off, withSection(healthySnapshot(), 'device', { type: 'desktop' }));
    expect(run(desktop, 'security.disk_unencrypted')).toMatchObject([
      { severity: 'info', evidence: 'Disk encryption is off on this desktop' },
    ]);
    const vm = security(off, withSection(healthySnapshot(), 'device', { type: 'virtual-machine' }));
    expect(run(vm, 'security.disk_unencrypted')[0]?.evidence).toBe('Disk encryption is off on this virtual machine');
    const unknown = withoutSection(security(off), 'device');
    expect(run(unknown, 'security.disk_unencrypted')).toMatchObject([
      { severity: 'info', evidence: 'Disk encryption is off' },
    ]);
  });

  it('does not fire when on, unknown or missing', () => {
    expect(run(healthySnapshot(), 'security.disk_unencrypted')).toEqual([]);
    expect(run(security({ diskEncryption: { enabled: null, method: null } }), 'security.disk_unencrypted')).toEqual([]);
    expect(run(withoutSection(security(off), 'security'), 'security.disk_unencrypted')).toEqual([]);
  });
});

describe('security.antivirus_off', () => {
  it('fires on a disabled or outdated product', () => {
    const snap = security({
      antivirus: [
        { name: 'Microsoft Defender Antivirus', enabled: false, upToDate: true },
        { name: 'ClamAV', enabled: true, upToDate: false },
        { name: 'Sophos', enabled: true, upToDate: true },
      ],
    });
    expect(run(snap, 'security.antivirus_off')).toMatchObject([
      { severity: 'warning', evidence: 'Microsoft Defender Antivirus is turned off, ClamAV is out of date' },
    ]);
  });

  it('does not fire on healthy, unknown or missing', () => {
    expect(
      run(security({ antivirus: [{ name: 'ClamAV', enabled: true, upToDate: true }] }), 'security.antivirus_off'),
    ).toEqual([]);
    expect(
      run(security({ antivirus: [{ name: 'ClamAV', enabled: null, upToDate: null }] }), 'security.antivirus_off'),
    ).toEqual([]);
    const off = security({ antivirus: [{ name: 'ClamAV', enabled: false, upToDate: null }] });
    expect(run(withoutSection(off, 'security'), 'security.antivirus_off')).toEqual([]);
  });
});
