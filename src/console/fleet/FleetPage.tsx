import type { ReactElement } from 'react';
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

function OsCard({ summary }: { summary: Summary }): ReactElement {
  return (
    <section className="card" aria-labelledby="fleet-os-title">
      <h2 id="fleet-os-title">Operating systems</h2>
      {summary.byOs.length === 0 ? (
        <p className="empty">No devices yet.</p>
      ) : (
        <table className="table" aria-labelledby="fleet-os-title">
          <thead>
            <tr>
              <th scope="col">Operating system</th>
              <th scope="col" className="num">
                Devices
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byOs.map((os) => (
              <tr key={`${os.platform} ${os.name ?? ''} ${os.version ?? ''}`}>
                <th scope="row">{osText(os)}</th>
                <td className="num">
                  <a href={osLink(os)} aria-label={`${os.devices} devices with ${osText(os)}`}>
                    {os.devices}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function HealthCard({ summary }: { summary: Summary }): ReactElement {
  return (
    <section className="card" aria-labelledby="fleet-health-title">
      <h2 id="fleet-health-title">Health</h2>
      <table className="table" aria-labelledby="fleet-health-title">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Devices
            </th>
          </tr>
        </thead>
        <tbody>
          {summary.byHealth.map((h) => (
            <tr key={h.status}>
              <th scope="row">
                <HealthBadge health={h.status} />
              </th>
              <td className="num">
                {h.devices > 0 ? (
                  <a href={`/devices?health=${h.status}`} aria-label={`${h.devices} ${h.status} devices`}>
                    {h.devices}
                  </a>
                ) : (
                  <span className="muted">0</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function FindingsCard({ summary }: { summary: Summary }): ReactElement {
  return (
    <section className="card" aria-labelledby="fleet-findings-title">
      <h2 id="fleet-findings-title">Findings</h2>
      {summary.byFinding.length === 0 ? (
        <p className="empty">No findings on the latest snapshots.</p>
      ) : (
        <table className="table" aria-labelledby="fleet-findings-title">
          <thead>
            <tr>
              <th scope="col">Finding</th>
              <th scope="col" className="num">
                Devices
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.byFinding.map((f) => (
              <tr key={f.code}>
                <th scope="row" className="mono">
                  {f.code}
                </th>
                <td className="num">
                  <a
                    href={`/fleet?finding=${encodeURIComponent(f.code)}#fleet-devices`}
                    aria-label={`${f.devices} devices with ${f.code}`}
                  >
                    {f.devices}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
