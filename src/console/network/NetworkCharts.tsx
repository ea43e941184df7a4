import type { ReactElement } from 'react';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { NetPoint, WifiPoint } from '../../shared/api/netmon';
import { formatLoss, formatMs, HEALTH_COLOR, pointHealth, timeLabel, timeTick, withGaps } from './netmon-view';

/*
 * The network charts (recharts): one target's latency (average, with the min–max band), jitter and loss
 * over a window; the Wi-Fi signal; and the compact per-bucket strip of the ticket's 24 hours, coloured by
 * health. Drawn once, without animation: a screenshot sees what the eye does.
 */

const COLORS = { rtt: '#2557d6', band: '#c9d6f5', jitter: '#7a4fc4', loss: '#c4302b', signal: '#18733f' };
const still = { isAnimationActive: false } as const;
const axis = { fontSize: 11, fill: '#5d6878' };
const grid = <CartesianGrid stroke="#e6e9ee" vertical={false} />;

interface Span {
  from: number;
  to: number;
}

function timeAxis(span: Span): ReactElement {
  return (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={[span.from, span.to]}
      tick={axis}
      tickFormatter={timeTick(span.to - span.from)}
      minTickGap={40}
      allowDataOverflow
    />
  );
}

type TargetRow = {
  t: number;
  rtt: number | null;
  band: [number, number] | null;
  jitter: number | null;
  loss: number | null;
};

/** One target's latency, jitter and loss over the window. */
export function TargetChart({ points, span, height = 180 }: { points: NetPoint[]; span: Span; height?: number }) {
  const rows = withGaps<NetPoint, TargetRow>(
    points,
    (p) => ({
      t: p.t,
      rtt: p.rttMs,
      band: p.minMs !== null && p.maxMs !== null ? [p.minMs, p.maxMs] : null,
      jitter: p.jitterMs,
      loss: p.lossPct,
    }),
    (t) => ({ t, rtt: null, band: null, jitter: null, loss: null }),
  );
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: 6, right: 4, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis(span)}
        <YAxis yAxisId="ms" tick={axis} width={58} unit=" ms" allowDecimals={false} />
        <YAxis yAxisId="loss" orientation="right" tick={axis} width={40} unit="%" domain={[0, 100]} />
        <Tooltip
          labelFormatter={(t) => timeLabel(Number(t))}
          formatter={(value, name) => {
            if (name === 'Min–max') {
              const [lo, hi] = (value as [number, number] | null) ?? [null, null];
              return [`${formatMs(lo)} – ${formatMs(hi)}`, name];
            }
            return [name === 'Loss' ? formatLoss(value as number) : formatMs(value as number), name];
          }}
        />
        <Bar
          yAxisId="loss"
          dataKey="loss"
          name="Loss"
          fill={COLORS.loss}
          fillOpacity={0.55}
          maxBarSize={8}
          {...still}
        />
        <Area
          yAxisId="ms"
          dataKey="band"
          name="Min–max"
          stroke="none"
          fill={COLORS.band}
          fillOpacity={0.7}
          connectNulls={false}
          {...still}
        />
        <Line
          yAxisId="ms"
          dataKey="rtt"
          name="Round trip"
          stroke={COLORS.rtt}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          {...still}
        />
        <Line
          yAxisId="ms"
          dataKey="jitter"
          name="Jitter"
          stroke={COLORS.jitter}
          strokeWidth={1.5}
          strokeDasharray="4 3"
          dot={false}
          connectNulls={false}
          {...still}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** The legend of TargetChart, as HTML (keyboard and screen readers read it; colours match the lines). */
export function TargetLegend(): ReactElement {
  return (
    <ul className="net-legend" aria-label="Chart legend">
      <li>
        <span className="net-swatch net-swatch-rtt" aria-hidden="true" /> Round trip (average)
      </li>
      <li>
        <span className="net-swatch net-swatch-band" aria-hidden="true" /> Min–max
      </li>
      <li>
        <span className="net-swatch net-swatch-jitter" aria-hidden="true" /> Jitter
      </li>
      <li>
        <span className="net-swatch net-swatch-loss" aria-hidden="true" /> Loss (right axis)
      </li>
    </ul>
  );
}

type WifiRow = { t: number; signal: number | null; band: [number, number] | null };

/** The Wi-Fi signal (dBm) over the window, with its min–max band in rollups. */
export function WifiChart({ points, span, height = 160 }: { points: WifiPoint[]; span: Span; height?: number }) {
  const rows = withGaps<WifiPoint, WifiRow>(
    points,
    (p) => ({
      t: p.t,
      signal: p.signalDbm,
      band: p.minDbm !== null && p.maxDbm !== null ? [p.minDbm, p.maxDbm] : null,
    }),
    (t) => ({ t, signal: null, band: null }),
    // Links are reported when they change or every 10 minutes: only a longer silence is a gap.
    30 * 60_000,
  );
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: 6, right: 44, bottom: 0, left: 0 }}>
        {grid}
        {timeAxis(span)}
        <YAxis tick={axis} width={60} unit=" dBm" domain={[-100, -20]} ticks={[-90, -70, -50, -30]} />
        <Tooltip
          labelFormatter={(t) => timeLabel(Number(t))}
          formatter={(value, name) =>
            name === 'Min–max'
              ? [`${(value as number[])[0]} to ${(value as number[])[1]} dBm`, name]
              : [`${Math.round(value as number)} dBm`, name]
          }
        />
        <Area dataKey="band" name="Min–max" stroke="none" fill="#cfe9d9" fillOpacity={0.8} {...still} />
        <Line
          dataKey="signal"
          name="Signal"
          stroke={COLORS.signal}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          {...still}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/**
 * The compact strip of a ticket's network: one bar per bucket, its height the round trip, its colour the
 * bucket's health; a bucket where nothing answered is a full-height red bar.
 */
export function HealthStrip({ points, span, height = 64 }: { points: NetPoint[]; span: Span; height?: number }) {
  const top = Math.max(10, ...points.map((p) => p.rttMs ?? 0));
  const rows = points.map((p) => {
    const health = pointHealth(p);
    return { t: p.t, value: health === 'down' ? top : (p.rttMs ?? 0), health, point: p };
  });
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={rows} margin={{ top: 2, right: 2, bottom: 0, left: 2 }} barCategoryGap={0}>
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[span.from, span.to]}
          tick={axis}
          tickFormatter={timeTick(span.to - span.from)}
          minTickGap={48}
          height={18}
          allowDataOverflow
        />
        <YAxis hide domain={[0, top]} />
        <Tooltip
          labelFormatter={(t) => timeLabel(Number(t))}
          formatter={(_value, _name, item) => {
            const p = (item.payload as { point: NetPoint }).point;
            return [`${formatMs(p.rttMs)}, loss ${formatLoss(p.lossPct)}`, 'Round trip'];
          }}
        />
        <Bar dataKey="value" name="Round trip" minPointSize={2} maxBarSize={6} {...still}>
          {rows.map((r) => (
            <Cell key={r.t} fill={HEALTH_COLOR[r.health]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
