import { formatBytes, formatDuration } from '../../shared/format';
import type { SectionName, Sections, Snapshot } from '../../shared/snapshot';
import { SECTION_NAMES, SECTION_TITLES } from '../../shared/snapshot/section-names';
import { describeRemoteTool } from '../../shared/remote/remote-tool-links';
import { assertNever } from '../../shared/result';
import { table, type Style } from './style';

/** The human summary `deskside snapshot` prints: one short block per section. */
export function formatSnapshotSummary(snapshot: Snapshot, style: Style): string {
  const out: string[] = [];
  const host = snapshot.sections.os?.hostname ?? 'this computer';
  out.push(
    style.bold(`Deskside snapshot of ${host}`) +
      style.dim(` — ${snapshot.collectedAt}, ${snapshot.durationMs} ms${snapshot.redacted ? ', redacted' : ''}`),
  );
  for (const name of SECTION_NAMES) {
    const report = snapshot.probes[name];
    if (!report) continue;
    const title = style.bold(SECTION_TITLES[name]);
    const section = snapshot.sections[name];
    if (report.status !== 'ok' || section === undefined) {
      const why = report.error?.message ?? report.status;
      out.push('', `${title}  ${style.yellow(report.status)}${style.dim(` — ${why}`)}`);
      continue;
    }
    out.push('', `${title}${style.dim(`  (${report.durationMs} ms)`)}`);
    out.push(...sectionLines(name, section as Sections[SectionName]).map((line) => `  ${line}`));
  }
  return out.join('\n');
}

const pct = (n: number) => `${Math.round(n)}%`;
const orDash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : String(v));
const list = (items: readonly string[], max = 6) =>
  items.length === 0
    ? '—'
    : items.slice(0, max).join(', ') + (items.length > max ? ` (+${items.length - max} more)` : '');

function sectionLines<K extends SectionName>(name: K, value: Sections[K]): string[] {
  switch (name) {
    case 'device': {
      const d = value as Sections['device'];
      return [`${orDash(d.vendor)} ${orDash(d.model)} · ${d.type} · serial ${orDash(d.serial)}`];
    }
    case 'os': {
      const o = value as Sections['os'];
      const reboot =
        o.pendingReboot === null ? 'unknown' : o.pendingReboot ? `yes (${o.pendingRebootReasons.join('; ')})` : 'no';
      return [
        `${o.name} ${orDash(o.version)}${o.build ? ` build ${o.build}` : ''} · kernel ${orDash(o.kernel)} · ${o.arch}`,
        `host ${o.hostname} · up ${formatDuration(o.uptimeSeconds)} (since ${o.lastBoot}) · restart pending: ${reboot}`,
      ];
    }
    case 'cpu': {
      const c = value as Sections['cpu'];
      const avg = c.loadAverage ? ` · load avg ${c.loadAverage.map((n) => n.toFixed(2)).join(' ')}` : '';
      return [`${c.brand} · ${c.physicalCores} cores / ${c.logicalCores} threads · load ${pct(c.loadPercent)}${avg}`];
    }
    case 'memory': {
      const m = value as Sections['memory'];
      return [
        `${formatBytes(m.usedBytes)} of ${formatBytes(m.totalBytes)} used (${pct(m.usedPercent)}) · swap ${formatBytes(m.swapUsedBytes)} of ${formatBytes(m.swapTotalBytes)}`,
      ];
    }
    case 'storage': {
      const s = value as Sections['storage'];
      return [
        ...s.disks.map((d) => `disk ${d.name} ${formatBytes(d.sizeBytes)} ${orDash(d.type)} · SMART ${d.smart}`),
        ...s.filesystems.map(
          (f) =>
            `${f.mount} ${pct(f.usePercent)} used · ${formatBytes(f.availableBytes)} free of ${formatBytes(f.sizeBytes)} (${orDash(f.fsType)})`,
        ),
      ];
    }
    case 'battery': {
      const b = value as Sections['battery'];
      if (!b.present) return ['no battery'];
      return [
        `${orDash(b.percent)}% · ${b.charging ? 'charging' : 'not charging'} · health ${orDash(b.healthPercent)}% · ${orDash(b.cycleCount)} cycles`,
      ];
    }
    case 'displays': {
      const d = value as Sections['displays'];
      return [
        ...d.graphics.map((g) => `GPU ${orDash(g.vendor)} ${g.model}`),
        ...d.displays.map((s) => `display ${orDash(s.model)} ${orDash(s.resolution)}${s.main ? ' (main)' : ''}`),
      ];
    }
    case 'network': {
      const n = value as Sections['network'];
      const up = n.interfaces.filter((i) => i.up && i.type !== 'loopback');
      return [
        `gateway ${orDash(n.defaultGateway)} via ${orDash(n.defaultInterface)} · DNS ${list(n.dnsServers)}`,
        ...up.map((i) => `${i.name} (${i.type}) ${list([...i.ipv4, ...i.ipv6], 3)}`),
        ...(n.wifi ? [`Wi-Fi "${n.wifi.ssid}" ${orDash(n.wifi.signalDbm)} dBm`] : []),
      ];
    }
    case 'connectivity': {
      const c = value as Sections['connectivity'];
      return c.checks.map(
        (k) =>
          `${k.kind.padEnd(7)} ${k.target} · ${k.status}${k.latencyMs !== null ? ` ${k.latencyMs} ms` : ''}${k.detail ? ` · ${k.detail}` : ''}`,
      );
    }
    case 'processes': {
      const p = value as Sections['processes'];
      return [
        `${p.total} processes · top CPU: ${list(p.topByCpu.slice(0, 3).map((x) => `${x.name} ${x.cpuPercent}%`))}`,
        `top memory: ${list(p.topByMemory.slice(0, 3).map((x) => `${x.name} ${formatBytes(x.memoryBytes)}`))}`,
      ];
    }
    case 'services': {
      const s = value as Sections['services'];
      return [
        `${s.manager} · failed: ${list(s.failed.map((x) => x.name))} · stopped automatic: ${list(s.stoppedAutomatic.map((x) => x.name))}`,
      ];
    }
    case 'software': {
      const s = value as Sections['software'];
      return [
        `${s.packages.length} packages · ${list(s.sources.map((x) => `${x.source} ${x.count}${x.error ? ` (${x.error})` : ''}`))}`,
      ];
    }
    case 'printers': {
      const p = value as Sections['printers'];
      return p.printers.length === 0
        ? ['no printers']
        : p.printers.map(
            (x) => `${x.name}${x.isDefault ? ' (default)' : ''} · ${orDash(x.status)} · ${orDash(x.queuedJobs)} queued`,
          );
    }
    case 'usb': {
      const u = value as Sections['usb'];
      return [
        `${u.devices.length} devices${
          u.devices.length
            ? `: ${list(
                u.devices.map((d) => d.name),
                5,
              )}`
            : ''
        }`,
      ];
    }
    case 'events': {
      const e = value as Sections['events'];
      if (e.log === 'none') return ['no system log available'];
      return [
        `${e.total} errors in the last ${e.windowHours} h (${e.log})`,
        ...e.entries.slice(0, 3).map((x) => `${x.time} ${x.source}: ${x.message.slice(0, 100)}`),
      ];
    }
    case 'security': {
      const s = value as Sections['security'];
      const yn = (v: boolean | null) => (v === null ? 'unknown' : v ? 'on' : 'off');
      return [
        table([
          ['firewall', `${yn(s.firewall.enabled)}${s.firewall.product ? ` (${s.firewall.product})` : ''}`],
          [
            'disk encryption',
            `${yn(s.diskEncryption.enabled)}${s.diskEncryption.method ? ` (${s.diskEncryption.method})` : ''}`,
          ],
          ['antivirus', list(s.antivirus.map((a) => `${a.name} ${yn(a.enabled)}`))],
          ['secure boot', yn(s.secureBoot)],
        ]).replace(/\n/g, '\n  '),
      ];
    }
    case 'remoteTools': {
      const r = value as Sections['remoteTools'];
      return r.tools.length === 0 ? ['none found'] : r.tools.map((t) => describeRemoteTool(t));
    }
    default:
      return assertNever(name as never);
  }
}
