import type { ReactElement, ReactNode } from 'react';
import { useLocation, useSearch } from 'wouter';
import { useFleetSummary } from '../api/fleet.queries';
import type { AnswerOf } from '../api/http';
import { HealthBadge, LoadError } from '../components/Badges';
import { useNow } from '../lib/time';
import { deviceFiltersOf, FleetDeviceList } from './FleetDeviceList';
import { fleetUrl, osLink, osText } from './fleet-url';
import { SoftwareSearch } from './SoftwareSearch';
import './fleet.css';

type Summary = AnswerOf<'fleetSummary'>;

/**
 * The fleet at a glance, from every device's latest snapshot: operating systems and versions, health,
 * findings, who is online, and which computers have a package (older than a version). Counts link to
 * the devices behind them; the state is in the URL.
 */
export function FleetPage(): ReactElement {
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const now = useNow(30_000);
  const summary = useFleetSummary();
  const go = (changes: Record<string, string | number>) => navigate(fleetUrl(search, changes), { replace: true });
  const filters = deviceFiltersOf(search);
  const s = summary.data;

  return (
    <section className="page" aria-labelledby="fleet-title">
      <header className="page-header">
        <h1 id="fleet-title">Fleet</h1>
        {s && (
          <span className="muted">
            {s.devices.toLocaleString('en')} devices ·{' '}
            <a href="/fleet?online=true#fleet-devices">{s.online.toLocaleString('en')} online</a>
          </span>
        )}
      </header>
      {summary.isError && <LoadError message={summary.error.message} onRetry={() => void summary.refetch()} />}
      {summary.isPending && <p className="empty">Loading the fleet…</p>}
      {s && (
        <div className="fleet-grid">
          <OsCard summary={s} />
          <HealthCard summary={s} />
          <FindingsCard summary={s} />
        </div>
      )}
      {filters && <FleetDeviceList filters={filters} search={search} go={go} now={now} />}
      <SoftwareSearch search={search} go={go} now={now} />
    </section>
  );
}

/** One row of a count card: what is counted (shown as the row's header), how many, where they are. */
interface CountRow {
  key: string;
  label: ReactNode;
  /** Words for the link, read out instead of the bare number. */
  name: string;
  devices: number;
  href: string;
}

/** A card with a two-column table: the thing counted, and the number of devices (a link to them when any). */
function CountCard({
  id,
  title,
  column,
  empty,
  rows,
  labelClass,
}: {
  id: string;
  title: string;
  column: string;
  empty: string;
  rows: CountRow[];
  labelClass?: string;
}): ReactElement {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        <table className="table" aria-labelledby={id}>
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="num">
                Devices
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row" className={labelClass}>
                  {row.label}
                </th>
                <td className="num">
                  {row.devices > 0 ? (
                    <a href={row.href} aria-label={`${row.devices} ${row.name}`}>
                      {row.devices}
                    </a>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OsCard({ summary }: { summary: Summary }): ReactElement {
  const rows = summary.byOs.map((os) => ({
    key: `${os.platform} ${os.name ?? ''} ${os.version ?? ''}`,
    label: osText(os),
    name: `devices with ${osText(os)}`,
    devices: os.devices,
    href: osLink(os),
  }));
  return (
    <CountCard
      id="fleet-os-title"
      title="Operating systems"
      column="Operating system"
      empty="No devices yet."
      rows={rows}
    />
  );
}

function HealthCard({ summary }: { summary: Summary }): ReactElement {
  const rows = summary.byHealth.map((h) => ({
    key: h.status,
    label: <HealthBadge health={h.status} />,
    name: `${h.status} devices`,
    devices: h.devices,
    href: `/devices?health=${h.status}`,
  }));
  return <CountCard id="fleet-health-title" title="Health" column="Status" empty="No devices yet." rows={rows} />;
}

function FindingsCard({ summary }: { summary: Summary }): ReactElement {
  const rows = summary.byFinding.map((f) => ({
    key: f.code,
    label: f.code,
    name: `devices with ${f.code}`,
    devices: f.devices,
    href: `/fleet?finding=${encodeURIComponent(f.code)}#fleet-devices`,
  }));
  return (
    <CountCard
      id="fleet-findings-title"
      title="Findings"
      column="Finding"
      empty="No findings on the latest snapshots."
      rows={rows}
      labelClass="mono"
    />
  );
}
