import { describe, expect, it } from 'vitest';
import { healthySnapshot, withSection } from '../../../test/fixtures/snapshot-factory';
import type { SnapshotChange } from './diff';
import { diffSnapshots, summarizeChanges } from './diff';

const GiB = 1024 ** 3;

const c = (
  area: SnapshotChange['area'],
  kind: SnapshotChange['kind'],
  item: string,
  before: string | null = null,
  after: string | null = null,
): SnapshotChange => ({
  area,
  kind,
  item,
  before,
  after,
});

describe('summarizeChanges', () => {
  it('says so when nothing changed', () => {
    expect(summarizeChanges([])).toBe('No changes');
  });

  it('reads like the example: updates, installs, OS upgrade', () => {
    const changes = [
      c('software', 'changed', 'curl (dpkg)', '1', '2'),
      c('software', 'changed', 'firefox (snap)', '135', '136'),
      c('software', 'changed', 'git (dpkg)', '2.43', '2.45'),
      c('software', 'added', 'code (dpkg)', null, '1.98'),
      c('os', 'changed', 'OS version', '24.04', '24.10'),
    ];
    expect(summarizeChanges(changes)).toBe('3 software updates, 1 added, OS 24.04 → 24.10');
  });

  it('names the software noun on whichever part comes first', () => {
    expect(
      summarizeChanges([
        c('software', 'added', 'a (snap)'),
        c('software', 'removed', 'b (snap)'),
        c('software', 'removed', 'c (snap)'),
      ]),
    ).toBe('1 software package added, 2 removed');
    expect(summarizeChanges([c('software', 'removed', 'b (snap)'), c('software', 'removed', 'c (snap)')])).toBe(
      '2 software packages removed',
    );
    expect(summarizeChanges([c('software', 'changed', 'a (snap)', '1', '2')])).toBe('1 software update');
  });

  it('summarizes a real diff across areas in area order', () => {
    const before = healthySnapshot();
    let after = withSection(before, 'os', { kernel: '6.8.0-55-generic', pendingReboot: true });
    after = withSection(after, 'memory', { totalBytes: 32 * GiB });
    after = withSection(after, 'network', {
      defaultGateway: '10.0.0.1',
      wifi: { ...before.sections.network!.wifi!, ssid: 'Home' },
    });
    after = withSection(after, 'security', { firewall: { enabled: false, product: 'ufw' } });
    after = withSection(after, 'services', { failed: [{ name: 'cups.service', state: 'failed', description: null }] });
    expect(summarizeChanges(diffSnapshots(before, after))).toBe(
      'kernel 6.8.0-54-generic → 6.8.0-55-generic, restart now pending, memory 15.3 GB → 32.0 GB, ' +
        'gateway 192.168.1.1 → 10.0.0.1, Wi-Fi Contoso-Office → Home, firewall on → off, 1 service newly failed',
    );
  });

  it('covers storage, printers, services and the rest, collapsing past eight parts', () => {
    const changes = [
      c('storage', 'added', 'Disk WD Elements (S/N WX12)', null, '2.0 TB'),
      c('storage', 'changed', 'Filesystem / use', '45%', '62%'),
      c('network', 'changed', 'DNS servers', 'a', 'b'),
      c('network', 'changed', 'IPv4 address (wlan0)', '1', '2'),
      c('network', 'added', 'Interface tun0', null, 'virtual'),
      c('security', 'changed', 'Antivirus ClamAV', 'on', 'off'),
      c('printers', 'added', 'Home-Brother', null, 'installed'),
      c('printers', 'removed', 'Old', 'idle', null),
      c('services', 'changed', 'a.service', 'failed', 'not failed'),
    ];
    expect(summarizeChanges(changes)).toBe(
      '1 disk added, / 45% → 62% full, DNS servers changed, IP address changed, 1 network interface added, ' +
        'antivirus changed, 1 printer added, 1 removed, +1 more',
    );
  });

  it('still counts changes that no part names', () => {
    expect(summarizeChanges([c('storage', 'changed', 'Filesystem /data size', '100.0 GB', '200.0 GB')])).toBe(
      '1 storage change',
    );
    expect(
      summarizeChanges([
        c('printers', 'changed', 'Default printer', 'a', 'b'),
        c('services', 'changed', 'x', 'failed', 'not failed'),
      ]),
    ).toBe('default printer changed, 1 service recovered');
  });

  it('stays on one line', () => {
    const changes = Array.from({ length: 500 }, (_, i) => c('software', 'changed', `p${i} (dpkg)`, '1', '2'));
    const line = summarizeChanges(changes);
    expect(line).toBe('500 software updates');
    expect(line).not.toContain('\n');
  });
});
