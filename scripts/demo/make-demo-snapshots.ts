// Writes the snapshots `deskside server --demo` seeds devices with (src/server/demo/snapshots/*.json):
// the test fixture laptop (test/fixtures/snapshot-factory.ts) as collected on Ubuntu, and the same
// shape filled in as the Windows and macOS probes collect it. Run after a schema change:
//   npx tsx scripts/demo/make-demo-snapshots.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotSchema, type Snapshot } from '../../src/shared/snapshot';
import { healthySnapshot, withSection } from '../../test/fixtures/snapshot-factory';

const GiB = 1024 ** 3;
const out = join(import.meta.dirname, '../../src/server/demo/snapshots');

function volume(mount: string, device: string, fsType: string, sizeBytes: number, used: number) {
  const usedBytes = Math.round(sizeBytes * used);
  return {
    mount,
    device,
    fsType,
    sizeBytes,
    usedBytes,
    availableBytes: sizeBytes - usedBytes,
    usePercent: Math.round(used * 1000) / 10,
  };
}

function windowsLaptop(): Snapshot {
  let s = healthySnapshot();
  s = withSection(s, 'device', {
    vendor: 'Dell Inc.',
    model: 'Latitude 7440',
    serial: '7H2KQ93',
    type: 'laptop',
    bios: { vendor: 'Dell Inc.', version: '1.14.1', releaseDate: '2024-09-10' },
  });
  s = withSection(s, 'os', {
    platform: 'win32',
    name: 'Windows 11 Pro',
    version: '10.0.26100',
    build: '26100.3194',
    codename: '24H2',
    kernel: '10.0.26100',
    hostname: 'LT-MSCHMIDT',
    timezone: 'Europe/Berlin',
    user: 'mschmidt',
  });
  s = withSection(s, 'cpu', {
    manufacturer: 'Intel',
    brand: 'Intel(R) Core(TM) Ultra 7 165U',
    speedGHz: 1.7,
    physicalCores: 12,
    logicalCores: 14,
    loadPercent: 11.2,
    loadAverage: null,
    temperatureC: null,
  });
  s = withSection(s, 'storage', {
    disks: [
      {
        name: 'KIOXIA KXG80ZNV512G',
        device: '\\\\.\\PHYSICALDRIVE0',
        type: 'NVMe',
        interface: 'NVMe',
        sizeBytes: 512_110_190_592,
        serial: '93KPC1ZWQ8',
        smart: 'ok',
      },
    ],
    filesystems: [volume('C:', 'C:', 'NTFS', 475 * GiB, 0.61)],
  });
  s = withSection(s, 'network', {
    interfaces: [
      {
        name: 'Wi-Fi',
        type: 'wireless',
        mac: '3c:21:9c:aa:12:7e',
        ipv4: ['10.20.4.118'],
        ipv6: ['fe80::4d1c:9e2b:77a0:1f3c'],
        up: true,
        speedMbps: 1201,
        dhcp: true,
        isDefault: true,
      },
      {
        name: 'Ethernet',
        type: 'wired',
        mac: '3c:21:9c:aa:12:7f',
        ipv4: [],
        ipv6: [],
        up: false,
        speedMbps: null,
        dhcp: true,
        isDefault: false,
      },
    ],
    defaultInterface: 'Wi-Fi',
    defaultGateway: '10.20.4.1',
    dnsServers: ['10.20.0.10', '10.20.0.11'],
    wifi: {
      ssid: 'Contoso-Office',
      signalDbm: -61,
      qualityPercent: 78,
      channel: 44,
      frequencyMHz: 5220,
      security: 'WPA2-Enterprise',
    },
  });
  s = withSection(s, 'connectivity', {
    checks: [
      { kind: 'gateway', target: '10.20.4.1', status: 'ok', latencyMs: 2, detail: null },
      { kind: 'dns', target: 'helpdesk.contoso.example', status: 'ok', latencyMs: 9, detail: null },
      { kind: 'server', target: 'https://helpdesk.contoso.example', status: 'ok', latencyMs: 31, detail: null },
    ],
  });
  s = withSection(s, 'processes', {
    total: 241,
    sampleMs: 500,
    topByCpu: [
      { pid: 9120, name: 'ms-teams.exe', cpuPercent: 8.2, memoryBytes: 780 * 1024 ** 2, user: 'mschmidt' },
      { pid: 4416, name: 'OUTLOOK.EXE', cpuPercent: 3.1, memoryBytes: 410 * 1024 ** 2, user: 'mschmidt' },
      { pid: 7712, name: 'msedge.exe', cpuPercent: 2.4, memoryBytes: 350 * 1024 ** 2, user: 'mschmidt' },
    ],
    topByMemory: [
      { pid: 9120, name: 'ms-teams.exe', cpuPercent: 8.2, memoryBytes: 780 * 1024 ** 2, user: 'mschmidt' },
      { pid: 4416, name: 'OUTLOOK.EXE', cpuPercent: 3.1, memoryBytes: 410 * 1024 ** 2, user: 'mschmidt' },
    ],
  });
  s = withSection(s, 'services', { manager: 'windows', failed: [], stoppedAutomatic: [] });
  const apps: Array<[string, string, string]> = [
    ['Microsoft 365 Apps for enterprise - de-de', '16.0.18324.20194', 'Microsoft Corporation'],
    ['Microsoft Teams', '24335.208.3315.1951', 'Microsoft Corporation'],
    ['Microsoft Edge', '133.0.3065.69', 'Microsoft Corporation'],
    ['Google Chrome', '133.0.6943.127', 'Google LLC'],
    ['7-Zip 24.09 (x64)', '24.09', 'Igor Pavlov'],
    ['Adobe Acrobat Reader (64-bit)', '24.005.20399', 'Adobe'],
    ['Cisco Secure Client - AnyConnect VPN', '5.1.6.103', 'Cisco Systems, Inc.'],
    ['Zoom Workplace', '6.3.6 (56144)', 'Zoom Video Communications, Inc.'],
    ['Notepad++ (64-bit x64)', '8.7.5', 'Notepad++ Team'],
    ['Dell Command | Update', '5.4.0', 'Dell Inc.'],
  ];
  s = withSection(s, 'software', {
    sources: [{ source: 'registry', count: apps.length, error: null }],
    packages: apps.map(([name, version, publisher]) => ({ name, version, source: 'registry', publisher })),
  });
  s = withSection(s, 'printers', {
    printers: [
      { name: 'Floor2-Canon-C5535', status: 'idle', isDefault: true, shared: false, queuedJobs: 0 },
      { name: 'Microsoft Print to PDF', status: 'idle', isDefault: false, shared: false, queuedJobs: 0 },
    ],
  });
  s = withSection(s, 'events', {
    log: 'windows-system',
    windowHours: 24,
    total: 1,
    entries: [
      {
        time: '2025-03-12T08:12:44+01:00',
        source: 'Microsoft-Windows-DistributedCOM',
        level: 'error',
        id: '10016',
        message: 'The application-specific permission settings do not grant Local Activation permission.',
      },
    ],
  });
  s = withSection(s, 'security', {
    firewall: { enabled: true, product: 'Windows Defender Firewall' },
    diskEncryption: { enabled: true, method: 'BitLocker' },
    antivirus: [{ name: 'Microsoft Defender Antivirus', enabled: true, upToDate: true }],
    secureBoot: true,
  });
  return s;
}

function macbook(): Snapshot {
  let s = healthySnapshot();
  s = withSection(s, 'device', {
    vendor: 'Apple Inc.',
    model: 'MacBook Pro (14-inch, M3, 2023)',
    serial: 'C02XK1ZJMD6M',
    type: 'laptop',
    bios: { vendor: 'Apple Inc.', version: '11881.81.4', releaseDate: null },
  });
  s = withSection(s, 'os', {
    platform: 'darwin',
    name: 'macOS',
    version: '15.3.1',
    build: '24D70',
    codename: 'Sequoia',
    kernel: '24.3.0',
    arch: 'arm64',
    hostname: 'MB-LNGUYEN',
    timezone: 'Europe/Paris',
    user: 'lnguyen',
  });
  s = withSection(s, 'cpu', {
    manufacturer: 'Apple',
    brand: 'M3 Pro',
    speedGHz: 4.05,
    physicalCores: 12,
    logicalCores: 12,
    temperatureC: null,
  });
  s = withSection(s, 'storage', {
    disks: [
      {
        name: 'APPLE SSD AP0512Z',
        device: 'disk0',
        type: 'SSD',
        interface: 'PCIe',
        sizeBytes: 494_384_795_648,
        serial: null,
        smart: 'ok',
      },
    ],
    filesystems: [volume('/', '/dev/disk3s1s1', 'apfs', 460 * GiB, 0.44)],
  });
  s = withSection(s, 'network', {
    interfaces: [
      {
        name: 'en0',
        type: 'wireless',
        mac: 'f4:d4:88:6a:20:1b',
        ipv4: ['192.168.20.34'],
        ipv6: ['fe80::1c8e:3bff:fe12:9a40'],
        up: true,
        speedMbps: 1200,
        dhcp: true,
        isDefault: true,
      },
      {
        name: 'utun3',
        type: 'virtual',
        mac: null,
        ipv4: [],
        ipv6: ['fe80::ce81:b1c:bd2c:69e'],
        up: true,
        speedMbps: null,
        dhcp: false,
        isDefault: false,
      },
    ],
    defaultInterface: 'en0',
    defaultGateway: '192.168.20.1',
    dnsServers: ['192.168.20.1'],
    wifi: {
      ssid: 'Contoso-Paris',
      signalDbm: -58,
      qualityPercent: 84,
      channel: 149,
      frequencyMHz: 5745,
      security: 'WPA3-Personal',
    },
  });
  s = withSection(s, 'processes', {
    total: 486,
    sampleMs: 500,
    topByCpu: [
      { pid: 812, name: 'WindowServer', cpuPercent: 5.6, memoryBytes: 390 * 1024 ** 2, user: '_windowserver' },
      { pid: 3310, name: 'Figma Helper (Renderer)', cpuPercent: 4.9, memoryBytes: 1.1 * GiB, user: 'lnguyen' },
      { pid: 2877, name: 'Slack Helper', cpuPercent: 1.8, memoryBytes: 460 * 1024 ** 2, user: 'lnguyen' },
    ],
    topByMemory: [
      { pid: 3310, name: 'Figma Helper (Renderer)', cpuPercent: 4.9, memoryBytes: 1.1 * GiB, user: 'lnguyen' },
      { pid: 2877, name: 'Slack Helper', cpuPercent: 1.8, memoryBytes: 460 * 1024 ** 2, user: 'lnguyen' },
    ],
  });
  s = withSection(s, 'services', { manager: 'launchd', failed: [], stoppedAutomatic: [] });
  const apps: Array<[string, string, string | null]> = [
    ['Safari', '18.3', 'Apple'],
    ['Google Chrome', '133.0.6943.127', 'Google LLC'],
    ['Microsoft Outlook', '16.94', 'Microsoft Corporation'],
    ['Microsoft Teams', '24335.208.3315.1951', 'Microsoft Corporation'],
    ['Slack', '4.42.117', 'Slack Technologies'],
    ['1Password', '8.10.60', 'AgileBits Inc.'],
    ['Figma', '124.7.4', 'Figma, Inc.'],
    ['zoom.us', '6.3.11', 'Zoom Video Communications, Inc.'],
  ];
  s = withSection(s, 'software', {
    sources: [{ source: 'applications', count: apps.length, error: null }],
    packages: apps.map(([name, version, publisher]) => ({ name, version, source: 'applications', publisher })),
  });
  s = withSection(s, 'events', { log: 'unified-log', windowHours: 24, total: 0, entries: [] });
  s = withSection(s, 'security', {
    firewall: { enabled: true, product: 'macOS Application Firewall' },
    diskEncryption: { enabled: true, method: 'FileVault' },
    antivirus: [{ name: 'XProtect', enabled: true, upToDate: true }],
    secureBoot: true,
  });
  return s;
}

const snapshots: Record<string, Snapshot> = {
  'ubuntu-laptop': healthySnapshot(),
  'windows-laptop': windowsLaptop(),
  'macos-laptop': macbook(),
};
for (const [name, snapshot] of Object.entries(snapshots)) {
  // Canonical form (the schema's output) so the server stores it as is.
  const parsed = snapshotSchema.parse(snapshot);
  writeFileSync(join(out, `${name}.json`), `${JSON.stringify(parsed, null, 2)}\n`);
}
process.stdout.write(`wrote ${Object.keys(snapshots).length} snapshots to ${out}\n`);
