import { describe, expect, it } from 'vitest';
import { healthySnapshot, withoutSection, withSection } from '../../../test/fixtures/snapshot-factory';
import type { SnapshotChange } from './diff';
import { CHANGE_AREAS, diffSnapshots, snapshotChangeSchema } from './diff';
import type { Filesystem, InstalledPackage, Snapshot } from './snapshot';
import { SECTION_NAMES } from './snapshot';

const GiB = 1024 ** 3;

/** Diffs and checks every change against the wire schema. */
function diff(before: Snapshot, after: Snapshot): SnapshotChange[] {
  return diffSnapshots(before, after).map((c) => snapshotChangeSchema.parse(c));
}

const base = healthySnapshot;
const pkgs = () => base().sections.software!.packages;
const withPackages = (packages: InstalledPackage[], snap = base()) => withSection(snap, 'software', { packages });
const c = (
  area: SnapshotChange['area'],
  kind: SnapshotChange['kind'],
  item: string,
  before: string | null,
  after: string | null,
): SnapshotChange => ({
  area,
  kind,
  item,
  before,
  after,
});

describe('diffSnapshots', () => {
  it('finds nothing between two snapshots of an unchanged device', () => {
    expect(diff(base(), base())).toEqual([]);
  });

  it('ignores what it cannot compare: no sections on one side, no changes', () => {
    const changed = withSection(withSection(base(), 'os', { version: '24.10' }), 'security', {
      firewall: { enabled: false, product: 'ufw' },
    });
    const blind = SECTION_NAMES.reduce((snap, name) => withoutSection(snap, name), base());
    expect(diff(blind, changed)).toEqual([]);
    expect(diff(changed, blind)).toEqual([]);
    expect(diff(withoutSection(base(), 'os'), changed).map((x) => x.area)).toEqual(['security']);
  });

  describe('software', () => {
    it('reports updates, installs and removals keyed by name and source', () => {
      const after = pkgs()
        .filter((p) => p.name !== 'zoom')
        .map((p) =>
          p.name === 'firefox'
            ? { ...p, version: '136.0-1' }
            : p.name === 'curl'
              ? { ...p, version: '8.5.0-2ubuntu10.7' }
              : p,
        );
      after.push({ name: 'code', version: '1.98.0-1741124844', source: 'dpkg', publisher: 'Microsoft Corporation' });
      expect(diff(base(), withPackages(after))).toEqual([
        c('software', 'added', 'code (dpkg)', null, '1.98.0-1741124844'),
        c('software', 'changed', 'curl (dpkg)', '8.5.0-2ubuntu10.6', '8.5.0-2ubuntu10.7'),
        c('software', 'changed', 'firefox (snap)', '135.0.1-1', '136.0-1'),
        c('software', 'removed', 'zoom (dpkg)', '6.3.11.7212', null),
      ]);
    });

    it('treats the same name from another source as another package', () => {
      const after = pkgs().map((p) =>
        p.name === 'thunderbird' && p.source === 'snap' ? { ...p, source: 'flatpak' as const } : p,
      );
      expect(diff(base(), withPackages(after)).map((x) => [x.kind, x.item])).toEqual([
        ['added', 'thunderbird (flatpak)'],
        ['removed', 'thunderbird (snap)'],
      ]);
    });

    it('compares several installed versions of one package as a set', () => {
      const kernel = (version: string): InstalledPackage => ({
        name: 'kernel',
        version,
        source: 'rpm',
        publisher: null,
      });
      const before = withPackages([kernel('6.12.5'), kernel('6.12.7')]);
      expect(diff(before, withPackages([kernel('6.12.7'), kernel('6.12.5')]))).toEqual([]);
      expect(diff(before, withPackages([kernel('6.12.7'), kernel('6.12.9')]))).toEqual([
        c('software', 'changed', 'kernel (rpm)', '6.12.5, 6.12.7', '6.12.7, 6.12.9'),
      ]);
    });

    it('does not read a failed package manager as everything removed', () => {
      const after = withSection(withPackages(pkgs().filter((p) => p.source !== 'flatpak')), 'software', {
        sources: [
          { source: 'dpkg', count: 24, error: null },
          { source: 'snap', count: 6, error: null },
          { source: 'flatpak', count: 0, error: 'flatpak: command timed out' },
        ],
      });
      expect(diff(base(), after)).toEqual([]);
    });
  });

  describe('os', () => {
    it('reports name, version, build, kernel and hostname', () => {
      const after = withSection(base(), 'os', {
        name: 'Ubuntu',
        version: '24.10',
        build: '1',
        kernel: '6.11.0-19-generic',
        hostname: 'lt-jdoe-0043',
      });
      expect(diff(base(), after)).toEqual([
        c('os', 'changed', 'Hostname', 'lt-jdoe-0042', 'lt-jdoe-0043'),
        c('os', 'changed', 'Kernel', '6.8.0-54-generic', '6.11.0-19-generic'),
        c('os', 'changed', 'OS build', null, '1'),
        c('os', 'changed', 'OS version', '24.04.2 LTS', '24.10'),
      ]);
    });

    it('reports a pending reboot toggling, but not one that became unknown', () => {
      const pending = withSection(base(), 'os', { pendingReboot: true });
      expect(diff(base(), pending)).toEqual([c('os', 'changed', 'Pending reboot', 'no', 'yes')]);
      expect(diff(pending, base())).toEqual([c('os', 'changed', 'Pending reboot', 'yes', 'no')]);
      expect(diff(pending, withSection(base(), 'os', { pendingReboot: null }))).toEqual([]);
    });

    it('ignores uptime, which always changes', () => {
      expect(
        diff(base(), withSection(base(), 'os', { uptimeSeconds: 99, lastBoot: '2025-03-12T09:28:21+01:00' })),
      ).toEqual([]);
    });
  });

  describe('hardware', () => {
    it('reports a new CPU model and a different amount of memory, not byte-level drift', () => {
      const after = withSection(withSection(base(), 'cpu', { brand: 'Intel(R) Core(TM) Ultra 7 155U' }), 'memory', {
        totalBytes: 32 * GiB,
      });
      expect(diff(base(), after)).toEqual([
        c('hardware', 'changed', 'CPU', '13th Gen Intel(R) Core(TM) i7-1365U', 'Intel(R) Core(TM) Ultra 7 155U'),
        c('hardware', 'changed', 'Memory', '15.3 GB', '32.0 GB'),
      ]);
      expect(diff(base(), withSection(base(), 'memory', { totalBytes: 16_446_767_104 - 4096 }))).toEqual([]);
    });
  });

  describe('storage', () => {
    const disk = () => base().sections.storage!.disks[0]!;
    const fs = (mount: string, usePercent: number, fsType = 'ext4'): Filesystem => ({
      mount,
      device: '/dev/sdb1',
      fsType,
      sizeBytes: 100 * GiB,
      usedBytes: usePercent * GiB,
      availableBytes: (100 - usePercent) * GiB,
      usePercent,
    });
    const withFs = (...filesystems: Filesystem[]) => withSection(base(), 'storage', { filesystems });

    it('reports disks added, removed and resized, keyed by name and serial', () => {
      const replaced = { ...disk(), serial: 'S5GXNX0T999999Z' };
      const external = { ...disk(), name: 'WD Elements', device: '/dev/sda', serial: 'WX12', sizeBytes: 2 * 1024 ** 4 };
      expect(diff(base(), withSection(base(), 'storage', { disks: [replaced, external] }))).toEqual([
        c('storage', 'removed', 'Disk Samsung SSD 980 PRO 512GB (S/N S5GXNX0T123456A)', '476.9 GB', null),
        c('storage', 'added', 'Disk Samsung SSD 980 PRO 512GB (S/N S5GXNX0T999999Z)', null, '476.9 GB'),
        c('storage', 'added', 'Disk WD Elements (S/N WX12)', null, '2.0 TB'),
      ]);
      const bigger = { ...disk(), sizeBytes: 1_000_204_886_016 };
      expect(diff(base(), withSection(base(), 'storage', { disks: [bigger] }))).toEqual([
        c('storage', 'changed', 'Disk Samsung SSD 980 PRO 512GB (S/N S5GXNX0T123456A)', '476.9 GB', '931.5 GB'),
      ]);
    });

    it('matches disks by name alone when only one snapshot hashed its serials', () => {
      const hashed = withSection({ ...base(), redacted: true }, 'storage', {
        disks: [{ ...disk(), serial: 'h:3f9a1c' }],
      });
      expect(diff(base(), hashed)).toEqual([]);
    });

    it('reports filesystems added and removed, and usage moves of 5 points or more', () => {
      const before = withFs(fs('/', 45), fs('/data', 50), fs('/old', 10));
      const after = withFs(fs('/', 49.9), fs('/data', 55), fs('/new', 1, 'xfs'));
      expect(diff(before, after)).toEqual([
        c('storage', 'changed', 'Filesystem /data use', '50%', '55%'),
        c('storage', 'added', 'Filesystem /new', null, '100.0 GB xfs'),
        c('storage', 'removed', 'Filesystem /old', '100.0 GB ext4', null),
      ]);
      expect(diff(withFs(fs('/', 62)), withFs(fs('/', 45)))).toEqual([
        c('storage', 'changed', 'Filesystem / use', '62%', '45%'),
      ]);
    });

    it('reports a resized filesystem', () => {
      const grown = { ...fs('/', 45), sizeBytes: 200 * GiB };
      expect(diff(withFs(fs('/', 45)), withFs(grown))).toEqual([
        c('storage', 'changed', 'Filesystem / size', '100.0 GB', '200.0 GB'),
      ]);
    });

    it('ignores snap images and RAM disks coming and going', () => {
      const before = withFs(fs('/', 45), fs('/snap/firefox/5751', 100, 'squashfs'), fs('/run/user/1000', 1, 'tmpfs'));
      const after = withFs(fs('/', 45), fs('/snap/firefox/5800', 100, 'squashfs'), fs('/run/user/1000', 40, 'tmpfs'));
      expect(diff(before, after)).toEqual([]);
    });
  });

  describe('network', () => {
    const net = () => base().sections.network!;
    const wifi = () => net().interfaces.find((i) => i.name === 'wlp0s20f3')!;

    it('reports gateway, DNS, Wi-Fi and address changes', () => {
      const after = withSection(base(), 'network', {
        interfaces: net().interfaces.map((i) => (i.name === 'wlp0s20f3' ? { ...i, ipv4: ['10.20.4.117'] } : i)),
        defaultGateway: '10.20.4.1',
        dnsServers: ['10.0.0.53', '10.0.0.54'],
        wifi: { ...net().wifi!, ssid: 'Contoso-Guest' },
      });
      expect(diff(base(), after)).toEqual([
        c('network', 'changed', 'DNS servers', '192.168.1.1, 9.9.9.9', '10.0.0.53, 10.0.0.54'),
        c('network', 'changed', 'Default gateway', '192.168.1.1', '10.20.4.1'),
        c('network', 'changed', 'IPv4 address (wlp0s20f3)', '192.168.1.57', '10.20.4.117'),
        c('network', 'changed', 'Wi-Fi network', 'Contoso-Office', 'Contoso-Guest'),
      ]);
    });

    it('treats a lost gateway, DNS or Wi-Fi as a change to none', () => {
      const after = withSection(base(), 'network', { defaultGateway: null, dnsServers: [], wifi: null });
      expect(diff(base(), after).map((x) => [x.item, x.after])).toEqual([
        ['DNS servers', null],
        ['Default gateway', null],
        ['Wi-Fi network', null],
      ]);
    });

    it('reports interfaces added and removed, not loopback or container veths', () => {
      const vpn = {
        ...wifi(),
        name: 'tun0',
        type: 'virtual' as const,
        mac: null,
        ipv4: ['10.8.0.6'],
        isDefault: false,
      };
      const veth = { ...wifi(), name: 'veth3f2a1b', type: 'virtual' as const, ipv4: [] };
      const after = withSection(base(), 'network', {
        interfaces: [...net().interfaces.filter((i) => i.name !== 'docker0' && i.name !== 'lo'), vpn, veth],
      });
      expect(diff(base(), after)).toEqual([
        c('network', 'removed', 'Interface docker0', 'virtual, 172.17.0.1', null),
        c('network', 'added', 'Interface tun0', null, 'virtual, 10.8.0.6'),
      ]);
    });

    it('does not care about address order', () => {
      const twoIps = (ipv4: string[]) => withSection(base(), 'network', { interfaces: [{ ...wifi(), ipv4 }] });
      expect(diff(twoIps(['192.168.1.57', '192.168.1.58']), twoIps(['192.168.1.58', '192.168.1.57']))).toEqual([]);
    });
  });

  describe('security', () => {
    const sec = (patch: Parameters<typeof withSection<'security'>>[2]) => withSection(base(), 'security', patch);

    it('reports firewall, encryption and Secure Boot flips', () => {
      const after = sec({
        firewall: { enabled: false, product: 'ufw' },
        diskEncryption: { enabled: false, method: null },
        secureBoot: false,
      });
      expect(diff(base(), after)).toEqual([
        c('security', 'changed', 'Disk encryption', 'on', 'off'),
        c('security', 'changed', 'Firewall', 'on', 'off'),
        c('security', 'changed', 'Secure Boot', 'on', 'off'),
      ]);
    });

    it('does not read "now unknown" as a change', () => {
      expect(diff(base(), sec({ firewall: { enabled: null, product: null }, secureBoot: null }))).toEqual([]);
    });

    it('reports a different firewall product', () => {
      expect(diff(base(), sec({ firewall: { enabled: true, product: 'firewalld' } }))).toEqual([
        c('security', 'changed', 'Firewall product', 'ufw', 'firewalld'),
      ]);
    });

    it('reports antivirus installed, removed and changing state', () => {
      const before = sec({
        antivirus: [
          { name: 'ClamAV', enabled: true, upToDate: true },
          { name: 'Sophos', enabled: true, upToDate: true },
        ],
      });
      const after = sec({
        antivirus: [
          { name: 'ClamAV', enabled: true, upToDate: false },
          { name: 'ESET', enabled: true, upToDate: null },
        ],
      });
      expect(diff(before, after)).toEqual([
        c('security', 'changed', 'Antivirus ClamAV', 'on, up to date', 'on, out of date'),
        c('security', 'added', 'Antivirus ESET', null, 'on'),
        c('security', 'removed', 'Antivirus Sophos', 'on, up to date', null),
      ]);
    });
  });

  describe('printers', () => {
    it('reports printers added and removed and a new default', () => {
      const after = withSection(base(), 'printers', {
        printers: [
          { name: 'Floor2-Canon-C5535', status: 'idle', isDefault: true, shared: false, queuedJobs: 0 },
          { name: 'Home-Brother', status: null, isDefault: false, shared: null, queuedJobs: null },
        ],
      });
      expect(diff(base(), after)).toEqual([
        c('printers', 'changed', 'Default printer', 'HP_LaserJet_Pro_M404', 'Floor2-Canon-C5535'),
        c('printers', 'removed', 'HP_LaserJet_Pro_M404', 'idle', null),
        c('printers', 'added', 'Home-Brother', null, 'installed'),
      ]);
    });
  });

  describe('services', () => {
    const failing = (...names: string[]) =>
      withSection(base(), 'services', { failed: names.map((name) => ({ name, state: 'failed', description: null })) });

    it('reports newly failed and recovered services', () => {
      expect(diff(failing('snapd.service'), failing('cups.service'))).toEqual([
        c('services', 'changed', 'cups.service', 'not failed', 'failed'),
        c('services', 'changed', 'snapd.service', 'failed', 'not failed'),
      ]);
      expect(diff(failing('cups.service'), failing('cups.service'))).toEqual([]);
    });
  });

  it('orders by area, then item, whatever order the probes listed things in', () => {
    const before = base();
    const after = withSection(
      withSection(
        withSection(withPackages([...pkgs()].reverse().filter((p) => p.name !== 'bash')), 'services', {
          failed: [{ name: 'cups.service', state: 'failed', description: null }],
        }),
        'os',
        { kernel: '6.8.0-55-generic' },
      ),
      'network',
      { defaultGateway: '192.168.1.254' },
    );
    const changes = diff(before, after);
    expect(changes.map((x) => x.area)).toEqual(['software', 'os', 'network', 'services']);
    expect([...changes.map((x) => x.area)].sort((a, b) => CHANGE_AREAS.indexOf(a) - CHANGE_AREAS.indexOf(b))).toEqual(
      changes.map((x) => x.area),
    );
    expect(diff(before, after)).toEqual(changes);
  });

  it('bounds values so a change always fits its schema', () => {
    const many = Array.from({ length: 16 }, (_, i) =>
      `fd00:0000:0000:0000:0000:0000:0000:${String(i).padStart(4, '0')}`.slice(0, 64),
    );
    const after = withSection(base(), 'network', { dnsServers: many });
    const kernels = Array.from({ length: 200 }, (_, i): InstalledPackage => ({
      name: 'kernel',
      version: `6.${i}.0-${'x'.repeat(20)}`,
      source: 'rpm',
      publisher: null,
    }));
    const changes = diff(base(), withPackages(kernels, after));
    expect(changes.length).toBeGreaterThan(0);
    for (const change of changes) expect(change.after?.length ?? 0).toBeLessThanOrEqual(1024);
  });
});

describe('snapshotChangeSchema', () => {
  it('rejects unknown areas and kinds', () => {
    expect(snapshotChangeSchema.safeParse(c('software', 'added', 'x', null, '1')).success).toBe(true);
    expect(snapshotChangeSchema.safeParse({ ...c('software', 'added', 'x', null, '1'), area: 'usb' }).success).toBe(
      false,
    );
    expect(snapshotChangeSchema.safeParse({ ...c('software', 'added', 'x', null, '1'), kind: 'moved' }).success).toBe(
      false,
    );
  });
});
