import type { ReactElement } from 'react';
import type { Sections } from '../../../shared/snapshot/snapshot';
import { formatBytes, formatDateTime, formatDuration } from '../../../shared/format';
import { DataTable, KeyValues, Meter, v, yesNo } from '../parts';

/** Device identity and BIOS. */
export function DeviceSection({ s }: { s: Sections['device'] }): ReactElement {
  return (
    <KeyValues
      items={[
        ['Vendor', v(s.vendor)],
        ['Model', v(s.model)],
        ['Serial', <span className="mono">{v(s.serial)}</span>],
        ['Type', `${s.type}${s.virtual ? ' (virtual)' : ''}`],
        ['BIOS', s.bios ? [s.bios.vendor, s.bios.version, s.bios.releaseDate].filter(Boolean).join(' · ') || '—' : '—'],
      ]}
    />
  );
}

/** OS, host, uptime and pending restart. */
export function OsSection({ s }: { s: Sections['os'] }): ReactElement {
  return (
    <KeyValues
      items={[
        ['System', [s.name, s.version, s.codename && `(${s.codename})`].filter(Boolean).join(' ')],
        ['Build / kernel', [s.build, s.kernel].filter(Boolean).join(' · ') || '—'],
        ['Architecture', s.arch],
        ['Host name', s.hostname],
        ['Time zone', v(s.timezone)],
        [
          'Uptime',
          <span className={s.uptimeSeconds > 14 * 86400 ? 'text-warning' : ''}>
            {formatDuration(s.uptimeSeconds)} (since {formatDateTime(s.lastBoot)})
          </span>,
        ],
        [
          'Pending restart',
          s.pendingReboot ? (
            <span className="text-warning">
              yes{s.pendingRebootReasons.length ? `: ${s.pendingRebootReasons.join(', ')}` : ''}
            </span>
          ) : (
            yesNo(s.pendingReboot)
          ),
        ],
        ['Signed-in user', v(s.user)],
      ]}
    />
  );
}

/** Processor and load. */
export function CpuSection({ s }: { s: Sections['cpu'] }): ReactElement {
  return (
    <KeyValues
      items={[
        ['Model', [s.manufacturer, s.brand].filter(Boolean).join(' ')],
        ['Cores', `${s.physicalCores} physical, ${s.logicalCores} logical${s.speedGHz ? ` · ${s.speedGHz} GHz` : ''}`],
        ['Load', <Meter percent={s.loadPercent} label="CPU load" />],
        ['Load average', s.loadAverage ? s.loadAverage.map((n) => n.toFixed(2)).join(' / ') : '—'],
        ['Temperature', s.temperatureC === null ? '—' : `${Math.round(s.temperatureC)} °C`],
      ]}
    />
  );
}

/** RAM and swap. */
export function MemorySection({ s }: { s: Sections['memory'] }): ReactElement {
  return (
    <KeyValues
      items={[
        ['Used', <Meter percent={s.usedPercent} label="Memory used" />],
        [
          'RAM',
          `${formatBytes(s.usedBytes)} used of ${formatBytes(s.totalBytes)} (${formatBytes(s.availableBytes)} available)`,
        ],
        [
          'Swap',
          s.swapTotalBytes > 0 ? `${formatBytes(s.swapUsedBytes)} used of ${formatBytes(s.swapTotalBytes)}` : 'none',
        ],
      ]}
    />
  );
}

/** Disks with SMART state and file systems with use. */
export function StorageSection({ s }: { s: Sections['storage'] }): ReactElement {
  return (
    <div className="stack">
      <DataTable
        label="File systems"
        rows={s.filesystems}
        empty="No file systems reported."
        columns={[
          ['Mount', (f) => <span className="mono">{f.mount}</span>],
          ['Type', (f) => v(f.fsType)],
          ['Size', (f) => formatBytes(f.sizeBytes)],
          ['Free', (f) => formatBytes(f.availableBytes)],
          ['Used', (f) => <Meter percent={f.usePercent} warnAt={85} critAt={95} label={`${f.mount} used`} />],
        ]}
      />
      <DataTable
        label="Disks"
        rows={s.disks}
        empty="No disks reported."
        columns={[
          ['Disk', (d) => d.name],
          ['Type', (d) => [d.type, d.interface].filter(Boolean).join(' · ') || '—'],
          ['Size', (d) => formatBytes(d.sizeBytes)],
          [
            'SMART',
            (d) => (
              <span
                className={`badge ${d.smart === 'failing' ? 'badge-critical' : d.smart === 'ok' ? 'badge-ok' : ''}`}
              >
                {d.smart}
              </span>
            ),
          ],
          ['Serial', (d) => <span className="mono">{v(d.serial)}</span>],
        ]}
      />
    </div>
  );
}

/** Battery charge and wear. */
export function BatterySection({ s }: { s: Sections['battery'] }): ReactElement {
  if (!s.present) return <p className="muted">No battery (desktop or on mains only).</p>;
  return (
    <KeyValues
      items={[
        ['Charge', `${v(s.percent)}%${s.charging ? ', charging' : ''}${s.acConnected ? ' · on AC power' : ''}`],
        [
          'Health',
          s.healthPercent === null ? (
            '—'
          ) : (
            <span className={s.healthPercent < 70 ? 'text-warning' : ''}>
              {Math.round(s.healthPercent)}% of design capacity
            </span>
          ),
        ],
        ['Cycles', v(s.cycleCount)],
        ['Model', v(s.model)],
      ]}
    />
  );
}

/** GPUs and monitors. */
export function DisplaysSection({ s }: { s: Sections['displays'] }): ReactElement {
  return (
    <div className="stack">
      <DataTable
        label="Graphics"
        rows={s.graphics}
        empty="No graphics adapters reported."
        columns={[
          ['Adapter', (g) => [g.vendor, g.model].filter(Boolean).join(' ')],
          ['VRAM', (g) => (g.vramMB ? `${g.vramMB} MB` : '—')],
          ['Driver', (g) => v(g.driverVersion)],
        ]}
      />
      <DataTable
        label="Monitors"
        rows={s.displays}
        empty="No monitors reported."
        columns={[
          ['Monitor', (d) => `${v(d.model)}${d.main ? ' (main)' : ''}`],
          ['Resolution', (d) => v(d.resolution)],
          ['Refresh', (d) => (d.refreshHz ? `${d.refreshHz} Hz` : '—')],
          ['Connection', (d) => v(d.connection)],
        ]}
      />
    </div>
  );
}
