import type { ReactElement } from 'react';
import type { DeviceNetmonDto, NetPoint } from '../../shared/api/netmon';
import { formatDateTime } from '../../shared/format';
import type { NetmonWindow } from '../../shared/netmon/netmon-limits';
import {
  useDeviceNetmonWindows,
  useNetmonChecks,
  useNetmonSettings,
  useTicketNetmonAffected,
} from '../api/netmon.queries';
import { useTicketNetmonSummary } from '../api/netmon-history.queries';
import { LoadError } from '../components/Badges';
import { HealthStrip } from './NetworkCharts';
import { TicketNetworkStored } from './TicketNetworkStored';
import {
  formatLoss,
  formatMs,
  HEALTH_BADGE,
  HEALTH_WORD,
  siteLabel,
  summarize,
  thresholdsInWords,
  targetLabel,
  targetOrder,
} from './netmon-view';

/*
 * On a ticket (issue 14): the network of its device in the 24 hours before it was filed, beside the
 * snapshot, and who else was affected at the same time. The server stores a summary with the ticket when it
 * is filed (TicketNetworkStored.tsx); tickets without one (filed before it was stored) read the device's
 * history (5-minute averages where the 24 h window still holds them, hourly before) while retention keeps it.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The part just before the ticket that says how the network was when the employee filed it. */
const AT_FILING_MS = 15 * 60_000;

/** Which windows cover [created − 24 h, created], finest first; none once history is gone. */
export function windowsFor(createdAt: number, now: number): NetmonWindow[] {
  const age = now - createdAt;
  if (age <= DAY) return ['24h', '7d'];
  if (age <= 6 * DAY) return ['7d'];
  if (age <= 89 * DAY) return ['90d'];
  return [];
}

/** Each target's points in [from, to]: the finest answer where it reaches, coarser ones before it. */
export function mergeSeries(answers: readonly DeviceNetmonDto[], from: number, to: number): Map<string, NetPoint[]> {
  const merged = new Map<string, NetPoint[]>();
  let covered = to;
  for (const answer of answers) {
    for (const series of answer.targets) {
      const keep = series.points.filter((p) => p.t >= from && p.t <= to && p.t < covered);
      const list = merged.get(series.target) ?? [];
      merged.set(
        series.target,
        [...keep, ...list].sort((a, b) => a.t - b.t),
      );
    }
    covered = Math.min(covered, answer.from);
  }
  return merged;
}

function Affected({ ticketId }: { ticketId: number }): ReactElement {
  const affected = useTicketNetmonAffected(ticketId);
  const settings = useNetmonSettings();
  const checks = useNetmonChecks();
  const label = (t: string) => targetLabel(t, settings.data?.plan, checks.data);
  if (affected.isPending) return <p className="muted">Looking for other devices…</p>;
  if (affected.isError) return <LoadError message={affected.error.message} onRetry={() => void affected.refetch()} />;
  const a = affected.data;
  const minutes = Math.round((a.to - a.from) / 60_000);
  return (
    <section aria-labelledby="net-affected" className="net-affected">
      <h3 id="net-affected">Who else is affected</h3>
      <p className="muted small">
        Other devices degraded at {a.site ? siteLabel(a.site) : 'this device’s site'} or on the same target, from{' '}
        {formatDateTime(new Date(a.from).toISOString())} ({minutes} min around the ticket).
        {a.degradedTargets.length > 0 ? ` This device: ${a.degradedTargets.map(label).join(', ')} degraded.` : ''}
      </p>
      {a.devices.length === 0 ? (
        <p className="muted">Nobody else: no other device was degraded at the same site or on the same target.</p>
      ) : (
        <ul className="net-affected-list" aria-label="Other affected devices">
          {a.devices.map((d) => (
            <li key={d.deviceId} aria-label={d.hostname}>
              <a href={`/devices/${d.deviceId}#network`}>
                <strong>{d.hostname}</strong>
              </a>{' '}
              <span className="muted small">
                {d.reasons.map((r) => (r === 'site' ? 'same site' : 'same target')).join(' and ')}
                {d.site ? ` · ${siteLabel(d.site)}` : ''}
              </span>
              <div className="row net-affected-targets">
                {d.targets.map((t) => (
                  <span
                    key={t.target}
                    className={HEALTH_BADGE[t.health]}
                    title={`loss ${formatLoss(t.lossPct)}, ${formatMs(t.rttMs)}`}
                  >
                    {label(t.target)}: {HEALTH_WORD[t.health].toLowerCase()} ({formatLoss(t.lossPct)} loss)
                  </span>
                ))}
                {d.ticketIds.map((id) => (
                  <a key={id} href={`/tickets/${id}`} className="small">
                    Ticket #{id}
                  </a>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "The network in the last 24 hours" of the ticket's device, with who else was affected. */
export function TicketNetwork({
  ticketId,
  deviceId,
  createdAt,
}: {
  ticketId: number;
  deviceId: string;
  createdAt: string;
}): ReactElement {
  const created = Date.parse(createdAt);
  // What was kept with the ticket when it was filed; the live history only for tickets without one.
  const stored = useTicketNetmonSummary(ticketId);
  const kept = stored.data?.summary ?? null;
  const windows = stored.isPending || kept ? [] : windowsFor(created, Date.now());
  const answers = useDeviceNetmonWindows(deviceId, windows);
  const settings = useNetmonSettings();
  const checks = useNetmonChecks();
  const span = { from: created - DAY, to: created };
  const failed = answers.find((q) => q.isError);
  const ready = answers.every((q) => q.data);
  let content: ReactElement;
  const label = (t: string) => targetLabel(t, settings.data?.plan, checks.data);
  if (stored.isPending) content = <p className="muted">Loading the network history…</p>;
  else if (kept) content = <TicketNetworkStored summary={kept} label={label} />;
  else if (windows.length === 0) content = <div className="empty">This ticket is older than the history kept.</div>;
  else if (failed?.error) content = <LoadError message={failed.error.message} onRetry={() => void failed.refetch()} />;
  else if (!ready)
    content = (
      <p className="muted" role="status">
        Loading the network history…
      </p>
    );
  else {
    const series = mergeSeries(
      answers.map((q) => q.data!),
      span.from,
      span.to,
    );
    const rows = [...series].filter(([, points]) => points.length > 0).sort(([a], [b]) => targetOrder(a, b));
    const interval = settings.data ? `every ${settings.data.plan.intervalSeconds} s` : 'on IT’s schedule';
    content =
      rows.length === 0 ? (
        <div className="empty">
          No network samples from this device in the 24 hours before the ticket. The agent probes {interval} while it is
          online.
        </div>
      ) : (
        <ul className="net-strips" aria-label="Targets">
          {rows.map(([target, points]) => {
            const label = targetLabel(target, settings.data?.plan, checks.data);
            const day = summarize(points);
            const atFiling = summarize(points.filter((p) => p.t >= created - AT_FILING_MS));
            return (
              <li key={target} className="net-strip" aria-label={label}>
                <div className="net-strip-head">
                  <strong>{label}</strong>
                  <span className={HEALTH_BADGE[atFiling.health]} title="When the ticket was filed">
                    {HEALTH_WORD[atFiling.health]}
                  </span>
                  <span className="muted small">
                    24 h: {formatMs(day.rttMs)}, loss {formatLoss(day.lossPct)}, jitter {formatMs(day.jitterMs)}
                  </span>
                </div>
                <div
                  role="img"
                  aria-label={`${label}, 24 hours before the ticket: average ${formatMs(day.rttMs)}, loss ${formatLoss(day.lossPct)}; ${HEALTH_WORD[atFiling.health].toLowerCase()} when filed`}
                >
                  <HealthStrip points={points} span={span} />
                </div>
              </li>
            );
          })}
        </ul>
      );
  }
  return (
    <section className="card net-ticket" aria-labelledby="net-ticket-title">
      <header className="net-head">
        <h2 id="net-ticket-title">Network in the 24 hours before the ticket</h2>
        <a className="btn btn-small" href={`/devices/${deviceId}#network`}>
          Device network history →
        </a>
      </header>
      <p className="muted small">
        {kept
          ? 'Hourly averages of the 24 hours before the ticket, coloured by health (an hour is down when a tenth of it went unanswered). '
          : `From the device’s history up to ${formatDateTime(createdAt)}; bars are 5-minute (or hourly) averages, coloured by health. `}
        {thresholdsInWords()}
      </p>
      {content}
      <Affected ticketId={ticketId} />
    </section>
  );
}
