import { formatBytes, formatCount, formatDuration, formatList } from '../../../shared/format';
import { describeRemoteTool } from '../../../shared/remote/remote-tool-links';
import type { Sections, SectionName } from '../../../shared/snapshot';

/*
 * One readable line per snapshot section for the preview, so an employee can see at a glance what
 * each section tells the help desk before deciding to leave it out. The raw JSON sits beside it.
 */

type Summaries = { [K in SectionName]: (section: Sections[K]) => string };

const yesNo = (value: boolean | null, yes: string, no: string): string | null =>
  value === null ? null : value ? yes : no;
const join = (parts: (string | null | undefined | false)[]): string =>
  parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' · ');

const SUMMARIES: Summaries = {
  device: (d) =>
    join([
      [d.vendor, d.model].filter(Boolean).join(' ') || 'Unknown model',
      d.type.replace('-', ' '),
      d.serial ? `serial ${d.serial}` : null,
    ]),
  os: (o) =>
    join([
      [o.name, o.version].filter(Boolean).join(' '),
      o.hostname,
      `up ${formatDuration(o.uptimeSeconds)}`,
      o.pendingReboot ? 'restart pending' : null,
    ]),
  cpu: (c) => join([c.brand, formatCount(c.logicalCores, 'core'), `${Math.round(c.loadPercent)}% busy`]),
  memory: (m) =>
    join([`${formatBytes(m.usedBytes)} of ${formatBytes(m.totalBytes)} in use (${Math.round(m.usedPercent)}%)`]),
  storage: (s) => {
    const fullest = [...s.filesystems].sort((a, b) => b.usePercent - a.usePercent)[0];
    return join([
      formatCount(s.disks.length, 'disk'),
      fullest
        ? `${fullest.mount} ${Math.round(fullest.usePercent)}% full, ${formatBytes(fullest.availableBytes)} free`
        : null,
    ]);
  },
  battery: (b) =>
    b.present
      ? join([
          b.percent === null ? null : `${Math.round(b.percent)}% charged`,
          yesNo(b.charging, 'charging', 'on battery'),
          b.healthPercent === null ? null : `health ${Math.round(b.healthPercent)}%`,
        ])
      : 'No battery',
  displays: (d) =>
    join([
      formatCount(d.displays.length, 'display'),
      formatList(
        d.graphics.map((g) => g.model),
        2,
      ),
    ]),
  network: (n) =>
    join([
      formatCount(n.interfaces.filter((i) => i.up && i.type !== 'loopback').length, 'connection'),
      n.wifi ? `Wi-Fi ${n.wifi.ssid}` : null,
      n.defaultGateway ? `gateway ${n.defaultGateway}` : 'no gateway',
      n.dnsServers.length ? `DNS ${formatList(n.dnsServers, 2)}` : null,
    ]),
  connectivity: (c) => {
    const failed = c.checks.filter((x) => x.status === 'failed');
    return failed.length === 0
      ? `${formatCount(c.checks.length, 'check')}, all passed`
      : `${failed.length} of ${c.checks.length} checks failed: ${formatList(
          failed.map((f) => f.target),
          2,
        )}`;
  },
  processes: (p) =>
    join([
      `${p.total} running`,
      p.topByCpu[0] ? `busiest: ${p.topByCpu[0].name} (${Math.round(p.topByCpu[0].cpuPercent)}% CPU)` : null,
    ]),
  services: (s) =>
    s.failed.length === 0
      ? 'No failed services'
      : `${formatCount(s.failed.length, 'failed service')}: ${formatList(
          s.failed.map((x) => x.name),
          3,
        )}`,
  software: (s) =>
    `${formatCount(s.packages.length, 'installed package')} (${s.sources.map((x) => x.source).join(', ') || 'no sources'})`,
  printers: (p) =>
    p.printers.length === 0
      ? 'No printers'
      : join([
          formatCount(p.printers.length, 'printer'),
          formatList(
            p.printers.map((x) => x.name),
            2,
          ),
        ]),
  usb: (u) =>
    u.devices.length === 0
      ? 'No USB devices'
      : `${formatCount(u.devices.length, 'device')}: ${formatList(
          u.devices.map((d) => d.name),
          3,
        )}`,
  events: (e) =>
    e.total === 0
      ? `No system errors in the last ${e.windowHours} h`
      : `${formatCount(e.total, 'system error')} in the last ${e.windowHours} h`,
  security: (s) =>
    join([
      yesNo(s.firewall.enabled, 'firewall on', 'firewall off'),
      yesNo(s.diskEncryption.enabled, 'disk encrypted', 'disk not encrypted'),
      s.antivirus.length
        ? `antivirus: ${formatList(
            s.antivirus.map((a) => a.name),
            2,
          )}`
        : null,
      yesNo(s.secureBoot, 'Secure Boot on', 'Secure Boot off'),
    ]) || 'Nothing known',
  remoteTools: (r) =>
    r.tools.length === 0 ? 'No RustDesk or MeshCentral' : r.tools.map((t) => describeRemoteTool(t)).join(' · '),
};

/** A one-line, human summary of a snapshot section. */
export function summarizeSection<K extends SectionName>(name: K, section: Sections[K]): string {
  try {
    return SUMMARIES[name](section);
  } catch {
    // A summary must never break the preview; the raw data is still shown.
    return 'Details below';
  }
}
