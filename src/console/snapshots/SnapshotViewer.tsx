import { memo, type ReactElement } from 'react';
import type { SectionName, Snapshot } from '../../shared/snapshot/snapshot';
import { formatBytes, formatDateTime } from '../../shared/format';
import { useSnapshot, type SnapshotDetail, type SnapshotInfo } from '../api/devices.queries';
import { LoadError, SeverityBadge } from '../components/Badges';
import { SECTION_NAMES, SECTION_TITLES } from '../../shared/snapshot/section-names';
import { SectionCard } from './parts';
import {
  BatterySection,
  CpuSection,
  DeviceSection,
  DisplaysSection,
  MemorySection,
  OsSection,
  StorageSection,
} from './sections/hardware';
import { ConnectivitySection, NetworkSection } from './sections/network';
import {
  EventsSection,
  PrintersSection,
  ProcessesSection,
  RemoteToolsSection,
  SecuritySection,
  ServicesSection,
  SoftwareSection,
  UsbSection,
} from './sections/system';
import './snapshot.css';

/** A stored snapshot's facts. */
export type { SnapshotInfo };

const ORDER = SECTION_NAMES;
const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function sectionBody(name: SectionName, s: Snapshot['sections']): ReactElement | null {
  switch (name) {
    case 'device':
      return s.device ? <DeviceSection s={s.device} /> : null;
    case 'os':
      return s.os ? <OsSection s={s.os} /> : null;
    case 'cpu':
      return s.cpu ? <CpuSection s={s.cpu} /> : null;
    case 'memory':
      return s.memory ? <MemorySection s={s.memory} /> : null;
    case 'storage':
      return s.storage ? <StorageSection s={s.storage} /> : null;
    case 'battery':
      return s.battery ? <BatterySection s={s.battery} /> : null;
    case 'displays':
      return s.displays ? <DisplaysSection s={s.displays} /> : null;
    case 'network':
      return s.network ? <NetworkSection s={s.network} /> : null;
    case 'connectivity':
      return s.connectivity ? <ConnectivitySection s={s.connectivity} /> : null;
    case 'processes':
      return s.processes ? <ProcessesSection s={s.processes} /> : null;
    case 'services':
      return s.services ? <ServicesSection s={s.services} /> : null;
    case 'software':
      return s.software ? <SoftwareSection s={s.software} /> : null;
    case 'printers':
      return s.printers ? <PrintersSection s={s.printers} /> : null;
    case 'usb':
      return s.usb ? <UsbSection s={s.usb} /> : null;
    case 'events':
      return s.events ? <EventsSection s={s.events} /> : null;
    case 'security':
      return s.security ? <SecuritySection s={s.security} /> : null;
    case 'remoteTools':
      return s.remoteTools ? <RemoteToolsSection s={s.remoteTools} /> : null;
  }
}

/** Saves the exact snapshot document as a JSON file, built in the browser (no second request). */
function download(detail: SnapshotDetail): void {
  const blob = new Blob([JSON.stringify(detail.snapshot, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `snapshot-${detail.info.id}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Health findings first, by severity, each with its evidence. */
export function Findings({ findings }: { findings: SnapshotInfo['findings'] }): ReactElement {
  if (findings.length === 0)
    return (
      <div className="card findings findings-none">
        No health findings: nothing obvious is wrong with this computer.
      </div>
    );
  const sorted = [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return (
    <section className="card findings" aria-label="Health findings">
      <h2>Findings</h2>
      <ul>
        {sorted.map((f) => (
          <li key={f.code} className={`finding finding-${f.severity}`}>
            <SeverityBadge severity={f.severity} />
            <div>
              <div className="finding-title">{f.title}</div>
              <div className="muted small">
                {f.evidence} <span className="mono">{f.code}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The snapshot viewer: findings, every section as cards with its probe's outcome, raw JSON download. */
export const SnapshotViewer = memo(function SnapshotViewer({ snapshotId }: { snapshotId: number }): ReactElement {
  const loaded = useSnapshot(snapshotId);
  if (loaded.isPending)
    return (
      <p className="muted" role="status">
        Loading snapshot…
      </p>
    );
  if (loaded.isError) return <LoadError message={loaded.error.message} onRetry={() => void loaded.refetch()} />;
  const detail = loaded.data;
  const { snapshot, info } = detail;
  const names = ORDER.filter((n) => snapshot.probes[n] || snapshot.sections[n]);
  return (
    <div className="snapshot stack" aria-label="Snapshot">
      <div className="row snapshot-meta">
        <span className="muted">
          Snapshot #{info.id} · collected {formatDateTime(snapshot.collectedAt)} in {Math.round(snapshot.durationMs)} ms
          · {snapshot.agent.name} {snapshot.agent.version} · {formatBytes(info.rawSize)}
          {snapshot.redacted && ' · redacted'}
        </span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" onClick={() => download(detail)}>
          Download raw JSON
        </button>
      </div>
      <Findings findings={info.findings} />
      <nav className="snapshot-nav" aria-label="Snapshot sections">
        {names.map((n) => {
          const status = snapshot.probes[n]?.status;
          return (
            <a key={n} href={`#section-${n}`} className={status && status !== 'ok' ? 'nav-problem' : ''}>
              {SECTION_TITLES[n]}
            </a>
          );
        })}
      </nav>
      <div className="snapshot-sections">
        {names.map((n) => (
          <SectionCard key={n} name={n} probe={snapshot.probes[n]} present={snapshot.sections[n] !== undefined}>
            {sectionBody(n, snapshot.sections)}
          </SectionCard>
        ))}
      </div>
    </div>
  );
});
