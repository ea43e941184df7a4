import type { ReactElement } from 'react';
import type { NetmonFleetDto, ServerCheckDto, SiteDto } from '../../shared/api/netmon';
import { formatDateTime, formatRelative } from '../../shared/format';
import { NETMON_HEALTH, type NetmonHealth } from '../../shared/netmon/netmon-health';
import { useNetmonChecks, useNetmonFleet, useNetmonSettings } from '../api/netmon.queries';
import { useTitle } from '../app/Shell';
import { LoadError } from '../components/Badges';
import { useNow } from '../lib/time';
import {
  formatLoss,
  formatMs,
  HEALTH_BADGE,
  HEALTH_WORD,
  siteLabel,
  targetLabel,
  targetOrder,
  thresholdsInWords,
} from './netmon-view';

/*
 * The fleet's network (issue 14): every target × site (IT-named, else subnet, else SSID) coloured by the
 * health of its devices over the last 15 minutes, live (the job announces each change on the staff event
 * stream), and the services the server checks itself.
 */

type Cell = NetmonFleetDto['cells'][number];
const NO_SITE = '\u0000none';

function Legend({ counts }: { counts: Record<NetmonHealth, number> }): ReactElement {
  return (
    <ul className="net-health-legend" aria-label="Legend">
      {NETMON_HEALTH.map((h) => (
        <li key={h}>
          <span className={`net-dot net-${h}`} aria-hidden="true" /> {HEALTH_WORD[h]}{' '}
          <span className="muted">({counts[h]})</span>
        </li>
      ))}
    </ul>
  );
}

function GridCell({ cell, target, site }: { cell: Cell | undefined; target: string; site: string }): ReactElement {
  if (!cell)
    return (
      <td className="net-cell net-empty-cell">
        <span className="muted">·</span>
      </td>
    );
  const devices = cell.ok + cell.degraded + cell.down;
  const detail = `${target} at ${site}: ${HEALTH_WORD[cell.health]}. ${devices} device${devices === 1 ? '' : 's'}: ${cell.ok} ok, ${cell.degraded} degraded, ${cell.down} down. Loss ${formatLoss(cell.lossPct)}, average round trip ${formatMs(cell.rttMs)}.`;
  return (
    <td className={`net-cell net-${cell.health}`}>
      <button type="button" className="net-cell-button" aria-label={detail}>
        <span className="net-cell-word">{HEALTH_WORD[cell.health]}</span>
        <span className="net-cell-count">
          {cell.degraded + cell.down > 0 ? `${cell.degraded + cell.down}/${devices}` : devices}
        </span>
      </button>
      <div className="net-pop" role="tooltip">
        <strong>{HEALTH_WORD[cell.health]}</strong>
        <div>
          {devices} device{devices === 1 ? '' : 's'}: {cell.ok} ok · {cell.degraded} degraded · {cell.down} down
        </div>
        <div>
          Loss {formatLoss(cell.lossPct)} · round trip {formatMs(cell.rttMs)}
        </div>
      </div>
    </td>
  );
}

function FleetGrid({ fleet, label }: { fleet: NetmonFleetDto; label: (t: string) => string }): ReactElement {
  const hasNoSite = fleet.cells.some((c) => c.site === null);
  const columns: { key: string; site: SiteDto | null }[] = [
    ...fleet.sites.map((s) => ({ key: s.key, site: s })),
    ...(hasNoSite ? [{ key: NO_SITE, site: null }] : []),
  ];
  const byKey = new Map(fleet.cells.map((c) => [`${c.target}|${c.site ?? NO_SITE}`, c]));
  return (
    <div className="net-grid-wrap">
      <table className="table net-grid" aria-label="Targets by site">
        <thead>
          <tr>
            <th scope="col">Target</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" title={c.site ? c.site.key : 'Devices with no subnet or SSID reported'}>
                {siteLabel(c.site)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...fleet.targets].sort(targetOrder).map((t) => (
            <tr key={t}>
              <th scope="row">{label(t)}</th>
              {columns.map((c) => (
                <GridCell key={c.key} cell={byKey.get(`${t}|${c.key}`)} target={label(t)} site={siteLabel(c.site)} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChecksTable({ checks, now }: { checks: ServerCheckDto[]; now: number }): ReactElement {
  if (checks.length === 0)
    return (
      <div className="empty">
        No server-side checks. IT adds them in <a href="/admin/settings/network">Settings → Network</a>: the server then
        checks those services itself, even when no agent is online.
      </div>
    );
  return (
    <table className="table" aria-label="Server-side checks">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Check</th>
          <th scope="col">State</th>
          <th scope="col">Round trip</th>
          <th scope="col">Last checked</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((c) => {
          const d = c.definition;
          const what =
            d.kind === 'http'
              ? `${d.scheme.toUpperCase()} ${d.host}${d.port ? `:${d.port}` : ''}${d.path}`
              : `${d.kind.toUpperCase()} ${d.host}:${d.port}`;
          return (
            <tr key={c.slug}>
              <td>
                <a href={`/network/checks/${c.slug}`} title="History of this check">
                  <strong>{d.label}</strong>
                </a>
                {!d.enabled ? <span className="badge inline-badge">paused</span> : null}
              </td>
              <td className="mono small">{what}</td>
              <td>
                <span className={HEALTH_BADGE[c.health]}>{HEALTH_WORD[c.health]}</span>
              </td>
              <td>{formatMs(c.lastRttMs)}</td>
              <td title={c.lastAt ? formatDateTime(c.lastAt) : undefined}>
                {c.lastAt ? formatRelative(c.lastAt, now) : 'not yet'}
              </td>
              <td className="small">
                {c.lastError ? <span className="error-text">{c.lastError}</span> : null}
                {c.certDaysLeft !== null ? (
                  <span>
                    {c.lastError ? ' · ' : ''}certificate expires in {c.certDaysLeft} day
                    {c.certDaysLeft === 1 ? '' : 's'}
                  </span>
                ) : null}
                {!c.lastError && c.certDaysLeft === null ? <span className="muted">—</span> : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The Network page: targets × sites by health, and the server's own checks. */
export function NetworkPage(): ReactElement {
  useTitle('Network');
  const now = useNow(15_000);
  const fleet = useNetmonFleet();
  const checks = useNetmonChecks();
  const settings = useNetmonSettings();
  const label = (t: string) => targetLabel(t, settings.data?.plan, checks.data);
  const counts = Object.fromEntries(NETMON_HEALTH.map((h) => [h, 0])) as Record<NetmonHealth, number>;
  for (const c of fleet.data?.cells ?? []) counts[c.health] += 1;
  return (
    <section className="page net-page" aria-labelledby="net-title">
      <header className="page-header">
        <h1 id="net-title">Network</h1>
        <span className="muted small" role="status" aria-live="polite">
          {fleet.data ? `Live · computed ${formatRelative(new Date(fleet.data.computedAt).toISOString(), now)}` : ''}
        </span>
      </header>
      <section className="card" aria-labelledby="net-grid-title">
        <div className="net-head">
          <h2 id="net-grid-title">Targets by site</h2>
          <Legend counts={counts} />
        </div>
        <p className="muted small">
          Each cell is the health of the devices at that site probing that target over the last{' '}
          {Math.round((fleet.data?.windowMs ?? 900_000) / 60_000)} minutes; the number is how many are degraded or down
          out of how many. A cell is down when half its devices are down, degraded when a fifth are degraded.{' '}
          {thresholdsInWords()}
        </p>
        {fleet.isPending ? (
          <p className="muted" role="status">
            Loading the fleet…
          </p>
        ) : fleet.isError ? (
          <LoadError message={fleet.error.message} onRetry={() => void fleet.refetch()} />
        ) : fleet.data.cells.length === 0 ? (
          <div className="empty">
            No agent has reported in the last 15 minutes.{' '}
            {settings.data?.plan.enabled === false
              ? 'Network monitoring is off (Settings → Network).'
              : `Agents probe every ${settings.data?.plan.intervalSeconds ?? 60} s while online.`}
          </div>
        ) : (
          <FleetGrid fleet={fleet.data} label={label} />
        )}
      </section>
      <section className="card" aria-labelledby="net-checks-title">
        <h2 id="net-checks-title">Server-side checks</h2>
        <p className="muted small">
          Services the help-desk server checks itself, so an outage shows with no agent online.
        </p>
        {checks.isPending ? (
          <p className="muted">Loading checks…</p>
        ) : checks.isError ? (
          <LoadError message={checks.error.message} onRetry={() => void checks.refetch()} />
        ) : (
          <ChecksTable checks={checks.data} now={now} />
        )}
      </section>
    </section>
  );
}
