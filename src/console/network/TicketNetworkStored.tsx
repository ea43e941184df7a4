import type { ReactElement } from 'react';
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TicketNetSummary, TicketNetTarget } from '../../shared/api/netmon-history';
import type { NetmonHealth } from '../../shared/netmon/netmon-health';
import { formatDateTime } from '../../shared/format';
import { formatLoss, formatMs, HEALTH_BADGE, HEALTH_COLOR, HEALTH_WORD, pointHealth, targetOrder } from './netmon-view';

/*
 * The ticket's 24 hours as stored when it was filed (issue 14): per target the figures of the day and one bar
 * per hour coloured by health. An hour where a tenth or more of the samples got no answer is down (red), so a
 * quarter-hour outage still shows as one, though the hour's average hides it; the rest follow the server's
 * thresholds (src/shared/netmon/netmon-health.ts).
 */

type HourPoint = TicketNetTarget['points'][number];
const HOUR = 3_600_000;
/** An hour with less than this share of answered samples is shown down. */
const DOWN_BELOW_PCT = 90;

export function hourHealth(p: HourPoint): NetmonHealth {
  if (p.availabilityPct !== null && p.availabilityPct < DOWN_BELOW_PCT) return 'down';
  return pointHealth(p);
}

const hourLabel = (t: number) => new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function HourStrip({ points, from, to }: { points: HourPoint[]; from: number; to: number }): ReactElement {
  const top = Math.max(10, ...points.map((p) => p.rttMs ?? 0));
  const rows = points.map((p) => {
    const health = hourHealth(p);
    return { t: p.t + HOUR / 2, value: health === 'down' ? top : (p.rttMs ?? 0), health, point: p };
  });
  return (
    <ResponsiveContainer width="100%" height={64}>
      <BarChart data={rows} margin={{ top: 2, right: 2, bottom: 0, left: 2 }} barCategoryGap={1}>
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          tick={{ fontSize: 11, fill: '#5d6878' }}
          tickFormatter={hourLabel}
          minTickGap={48}
          height={18}
          allowDataOverflow
        />
        <YAxis hide domain={[0, top]} />
        <Tooltip
          labelFormatter={(t) => `${hourLabel(Number(t) - HOUR / 2)}–${hourLabel(Number(t) + HOUR / 2)}`}
          formatter={(_value, _name, item) => {
            const p = (item.payload as { point: HourPoint }).point;
            return [
              `${formatMs(p.rttMs)}, loss ${formatLoss(p.lossPct)}, answered ${p.availabilityPct ?? '—'}%`,
              'Hour',
            ];
          }}
        />
        <Bar dataKey="value" name="Hour" minPointSize={2} maxBarSize={26} isAnimationActive={false}>
          {rows.map((r) => (
            <Cell key={r.t} fill={HEALTH_COLOR[r.health]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** The stored targets and Wi-Fi summary (inside the ticket's network card). */
export function TicketNetworkStored({
  summary,
  label,
}: {
  summary: TicketNetSummary;
  label: (target: string) => string;
}): ReactElement {
  const targets = [...summary.targets].sort((a, b) => targetOrder(a.target, b.target));
  const w = summary.wifi;
  return (
    <>
      {targets.length === 0 ? (
        <div className="empty">No network samples from this device in the 24 hours before the ticket.</div>
      ) : (
        <ul className="net-strips" aria-label="Targets">
          {targets.map((t) => {
            const name = label(t.target);
            const figures = `${formatMs(t.rttMs)} average, p95 ${formatMs(t.p95Ms)}, loss ${formatLoss(t.lossPct)}, available ${t.availabilityPct ?? '—'}%`;
            return (
              <li key={t.target} className="net-strip" aria-label={name}>
                <div className="net-strip-head">
                  <strong>{name}</strong>
                  <span className={HEALTH_BADGE[t.healthAtFiling]} title="When the ticket was filed">
                    {HEALTH_WORD[t.healthAtFiling]}
                  </span>
                  <span className="muted small">
                    24 h: {figures} · {t.samples} samples
                  </span>
                </div>
                <div role="img" aria-label={`${name}, 24 hours before the ticket: ${figures}`}>
                  <HourStrip points={t.points} from={summary.from} to={summary.to} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {w ? (
        <p className="net-stored-wifi small" aria-label="Wi-Fi over the 24 hours">
          <strong>Wi-Fi{w.ssid ? ` “${w.ssid}”` : ''}:</strong> signal {w.avgDbm === null ? '—' : Math.round(w.avgDbm)}{' '}
          dBm on average (from {w.minDbm} to {w.maxDbm} dBm),{' '}
          {w.rateMbps === null ? 'rate unknown' : `${w.rateMbps} Mbit/s link rate`} · {w.reports} reports
        </p>
      ) : null}
      <p className="muted small">
        Kept with the ticket when it was filed, {formatDateTime(new Date(summary.to).toISOString())}.
      </p>
    </>
  );
}
