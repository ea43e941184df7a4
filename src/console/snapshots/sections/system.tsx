import { useMemo, useState, type ReactElement } from 'react';
import type { Sections } from '../../../shared/snapshot/snapshot';
import { formatBytes, formatDateTime } from '../../../shared/format';
import { REMOTE_TOOL_TITLES } from '../../../shared/remote/remote-tool-links';
import { DataTable, KeyValues, v, yesNo } from '../parts';

/** Top processes by CPU and by memory. */
export function ProcessesSection({ s }: { s: Sections['processes'] }): ReactElement {
  const cols: Array<[string, (p: Sections['processes']['topByCpu'][number]) => string]> = [
    ['Name', (p) => p.name],
    ['PID', (p) => String(p.pid)],
    ['CPU', (p) => `${p.cpuPercent.toFixed(1)}%`],
    ['Memory', (p) => formatBytes(p.memoryBytes)],
    ['User', (p) => v(p.user)],
  ];
  return (
    <div className="stack">
      <p className="muted small">
        {s.total} processes, sampled over {s.sampleMs} ms.
      </p>
      <div className="grid-2">
        <div>
          <h3>By CPU</h3>
          <DataTable label="Top processes by CPU" rows={s.topByCpu} empty="None." columns={cols} />
        </div>
        <div>
          <h3>By memory</h3>
          <DataTable label="Top processes by memory" rows={s.topByMemory} empty="None." columns={cols} />
        </div>
      </div>
    </div>
  );
}

/** Failed services and stopped automatic ones. */
export function ServicesSection({ s }: { s: Sections['services'] }): ReactElement {
  const cols: Array<[string, (x: Sections['services']['failed'][number]) => ReactElement | string]> = [
    ['Service', (x) => <span className="mono">{x.name}</span>],
    ['State', (x) => x.state],
    ['Description', (x) => v(x.description)],
  ];
  return (
    <div className="stack">
      <p className="muted small">Service manager: {s.manager}</p>
      <h3>Failed</h3>
      <DataTable label="Failed services" rows={s.failed} empty="No failed services." columns={cols} />
      <h3>Automatic but stopped</h3>
      <DataTable label="Stopped automatic services" rows={s.stoppedAutomatic} empty="None." columns={cols} />
    </div>
  );
}

const SOFTWARE_PAGE = 200;

/** Installed packages with search and a source filter. */
export function SoftwareSection({ s }: { s: Sections['software'] }): ReactElement {
  const [q, setQ] = useState('');
  const [source, setSource] = useState('');
  const [shown, setShown] = useState(SOFTWARE_PAGE);
  const matches = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return s.packages.filter(
      (p) =>
        (!source || p.source === source) &&
        (!needle || p.name.toLowerCase().includes(needle) || (p.publisher ?? '').toLowerCase().includes(needle)),
    );
  }, [s.packages, q, source]);
  return (
    <div className="stack">
      <div className="row software-tools">
        <input
          className="input spacer"
          type="search"
          aria-label="Search installed software"
          placeholder="Search packages or publishers…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setShown(SOFTWARE_PAGE);
          }}
        />
        <select
          className="input"
          aria-label="Package source"
          value={source}
          onChange={(e) => setSource(e.target.value)}
        >
          <option value="">All sources</option>
          {s.sources.map((x) => (
            <option key={x.source} value={x.source}>
              {x.source} ({x.count})
            </option>
          ))}
        </select>
        <span className="muted small">
          {matches.length} of {s.packages.length}
        </span>
      </div>
      {s.sources
        .filter((x) => x.error)
        .map((x) => (
          <p key={x.source} className="alert alert-error probe-error">
            {x.source}: {x.error}
          </p>
        ))}
      <DataTable
        label="Installed software"
        rows={matches.slice(0, shown)}
        empty="No packages match."
        columns={[
          ['Name', (p) => p.name],
          ['Version', (p) => <span className="mono">{v(p.version)}</span>],
          ['Source', (p) => p.source],
          ['Publisher', (p) => v(p.publisher)],
        ]}
      />
      {matches.length > shown && (
        <button type="button" className="btn btn-small" onClick={() => setShown((n) => n + SOFTWARE_PAGE * 5)}>
          Show more ({matches.length - shown} left)
        </button>
      )}
    </div>
  );
}

/** Printers and queued jobs. */
export function PrintersSection({ s }: { s: Sections['printers'] }): ReactElement {
  return (
    <DataTable
      label="Printers"
      rows={s.printers}
      empty="No printers installed."
      columns={[
        [
          'Printer',
          (p) => (
            <>
              {p.name}
              {p.isDefault && <span className="badge badge-info inline-badge">default</span>}
            </>
          ),
        ],
        ['Status', (p) => v(p.status)],
        ['Queued jobs', (p) => v(p.queuedJobs)],
        ['Shared', (p) => yesNo(p.shared)],
      ]}
    />
  );
}

/** USB devices. */
export function UsbSection({ s }: { s: Sections['usb'] }): ReactElement {
  return (
    <DataTable
      label="USB devices"
      rows={s.devices}
      empty="No USB devices."
      columns={[
        ['Device', (d) => d.name],
        ['Vendor', (d) => v(d.vendor)],
        ['Type', (d) => v(d.type)],
        ['ID', (d) => <span className="mono">{v(d.id)}</span>],
      ]}
    />
  );
}

/** System errors of the last hours. */
export function EventsSection({ s }: { s: Sections['events'] }): ReactElement {
  return (
    <div className="stack">
      <p className="muted small">
        {s.total} error{s.total === 1 ? '' : 's'} in the last {s.windowHours} h from {s.log}
        {s.total > s.entries.length ? ` (showing ${s.entries.length})` : ''}.
      </p>
      <DataTable
        label="Recent system errors"
        rows={s.entries}
        empty="No errors logged."
        columns={[
          ['Time', (e) => formatDateTime(e.time)],
          [
            'Level',
            (e) => (
              <span className={`badge ${e.level === 'critical' ? 'badge-critical' : 'badge-warning'}`}>{e.level}</span>
            ),
          ],
          ['Source', (e) => e.source],
          ['Message', (e) => <span className="event-message">{e.message}</span>],
        ]}
      />
    </div>
  );
}

/** Firewall, disk encryption, antivirus and Secure Boot. */
export function SecuritySection({ s }: { s: Sections['security'] }): ReactElement {
  const flag = (value: boolean | null) => (
    <span className={`badge ${value === true ? 'badge-ok' : value === false ? 'badge-critical' : ''}`}>
      {yesNo(value, 'on', 'off')}
    </span>
  );
  return (
    <KeyValues
      items={[
        [
          'Firewall',
          <>
            {flag(s.firewall.enabled)} {v(s.firewall.product)}
          </>,
        ],
        [
          'Disk encryption',
          <>
            {flag(s.diskEncryption.enabled)} {v(s.diskEncryption.method)}
          </>,
        ],
        ['Secure Boot', flag(s.secureBoot)],
        [
          'Antivirus',
          s.antivirus.length
            ? s.antivirus
                .map((a) => `${a.name}: ${yesNo(a.enabled, 'on', 'off')}${a.upToDate === false ? ', out of date' : ''}`)
                .join(' · ')
            : 'none reported',
        ],
      ]}
    />
  );
}

/** RustDesk and MeshCentral found on the device, with the IDs they report (issue 13). */
export function RemoteToolsSection({ s }: { s: Sections['remoteTools'] }): ReactElement {
  return (
    <DataTable
      label="Remote access tools"
      rows={s.tools}
      empty="Neither RustDesk nor a MeshCentral agent was found."
      columns={[
        ['Tool', (t) => REMOTE_TOOL_TITLES[t.tool]],
        ['ID', (t) => <span className="mono">{v(t.id)}</span>],
        ['Server', (t) => v(t.server)],
        ['Group', (t) => v(t.group)],
        ['Note', (t) => v(t.note)],
      ]}
    />
  );
}
