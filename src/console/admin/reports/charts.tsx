import type { ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ReportSummary } from '../../../shared/api/reports';
import { formatMinutes } from '../../../shared/format';
import { ChartFigure } from './ChartFigure';

const COLORS = { accent: '#2557d6', ok: '#18733f', warning: '#935800', critical: '#c4302b', muted: '#8a94a6' };
const HEIGHT = 220;
// Charts are drawn once; animation would only delay what the eye (and a screenshot) sees.
const still = { isAnimationActive: false } as const;
const axis = { fontSize: 12, stroke: '#5d6878' };

/** Tickets opened and closed per day. */
export function VolumeChart({ r }: { r: ReportSummary }): ReactElement {
  const rows = r.volume.daily;
  return (
    <ChartFigure
      title="Tickets opened and closed per day"
      summary={`${r.volume.opened} opened and ${r.volume.closed} closed over ${r.range.days} days.`}
      rows={rows}
      columns={[
        { label: 'Date', value: (d) => d.date },
        { label: 'Opened', value: (d) => d.opened },
        { label: 'Closed', value: (d) => d.closed },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e6e9ee" vertical={false} />
          <XAxis dataKey="date" tick={axis} tickFormatter={(d: string) => d.slice(5)} minTickGap={24} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip />
          <Legend />
          <Line
            type="monotone"
            dataKey="opened"
            name="Opened"
            stroke={COLORS.accent}
            strokeWidth={2}
            dot={rows.length <= 31}
            {...still}
          />
          <Line
            type="monotone"
            dataKey="closed"
            name="Closed"
            stroke={COLORS.ok}
            strokeWidth={2}
            dot={rows.length <= 31}
            {...still}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Median and 90th percentile of first response and resolution, in hours. */
export function TimesChart({ r }: { r: ReportSummary }): ReactElement {
  // Minutes while every figure is under two hours, hours beyond: the bars stay readable either way.
  const longest = Math.max(r.firstResponse.p90Minutes ?? 0, r.resolution.p90Minutes ?? 0);
  const [unit, divisor] = longest < 120 ? ['min', 1] : ['h', 60];
  const scaled = (m: number | null) => (m === null ? 0 : Math.round((m / divisor) * 10) / 10);
  const rows = [
    {
      name: 'First response',
      count: r.firstResponse.count,
      median: r.firstResponse.medianMinutes,
      p90: r.firstResponse.p90Minutes,
    },
    { name: 'Resolution', count: r.resolution.count, median: r.resolution.medianMinutes, p90: r.resolution.p90Minutes },
  ].filter((row) => row.count > 0);
  const data = rows.map((row) => ({ ...row, medianH: scaled(row.median), p90H: scaled(row.p90) }));
  const summary = `First response: median ${formatMinutes(r.firstResponse.medianMinutes)}, p90 ${formatMinutes(r.firstResponse.p90Minutes)}. Resolution: median ${formatMinutes(r.resolution.medianMinutes)}, p90 ${formatMinutes(r.resolution.p90Minutes)}.`;
  return (
    <ChartFigure
      title="Response and resolution time"
      summary={summary}
      rows={rows}
      empty="No first responses or resolutions in this period."
      columns={[
        { label: 'Measure', value: (d) => d.name },
        { label: 'Tickets', value: (d) => d.count },
        { label: 'Median', value: (d) => formatMinutes(d.median) },
        { label: 'p90', value: (d) => formatMinutes(d.p90) },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -8 }}>
          <CartesianGrid stroke="#e6e9ee" vertical={false} />
          <XAxis dataKey="name" tick={axis} />
          <YAxis tick={axis} unit={` ${unit}`} width={64} />
          <Tooltip formatter={(v) => `${String(v)} ${unit}`} />
          <Legend />
          <Bar dataKey="medianH" name="Median" fill={COLORS.accent} {...still} />
          <Bar dataKey="p90H" name="p90" fill={COLORS.warning} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Tickets meeting and missing their SLA targets. */
export function SlaChart({ r }: { r: ReportSummary }): ReactElement {
  const rows = [
    { name: 'First response', ...r.sla.firstResponse, missed: r.sla.firstResponse.total - r.sla.firstResponse.met },
    { name: 'Resolution', ...r.sla.resolution, missed: r.sla.resolution.total - r.sla.resolution.met },
  ].filter((row) => row.total > 0);
  const pct = (p: number | null) => (p === null ? '—' : `${Math.round(p * 10) / 10}%`);
  return (
    <ChartFigure
      title="SLA compliance"
      summary={`First response ${pct(r.sla.firstResponse.percent)} met, resolution ${pct(r.sla.resolution.percent)} met.`}
      rows={rows}
      empty="No ticket with an SLA target was measured in this period."
      columns={[
        { label: 'Target', value: (d) => d.name },
        { label: 'Met', value: (d) => d.met },
        { label: 'Missed', value: (d) => d.missed },
        { label: 'Compliance', value: (d) => pct(d.percent) },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 24 }}>
          <CartesianGrid stroke="#e6e9ee" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axis} />
          <YAxis type="category" dataKey="name" tick={axis} width={100} />
          <Tooltip />
          <Legend />
          <Bar dataKey="met" name="Met" stackId="sla" fill={COLORS.ok} {...still} />
          <Bar dataKey="missed" name="Missed" stackId="sla" fill={COLORS.critical} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Open tickets now, by priority. */
export function BacklogChart({ r }: { r: ReportSummary }): ReactElement {
  const rows = (['p1', 'p2', 'p3', 'p4'] as const).map((p) => ({
    priority: p.toUpperCase(),
    count: r.backlog.byPriority[p],
  }));
  return (
    <ChartFigure
      title="Backlog by priority (now)"
      summary={`${r.backlog.total} open tickets: ${rows.map((x) => `${x.priority} ${x.count}`).join(', ')}.`}
      rows={r.backlog.total ? rows : []}
      empty="No open tickets."
      columns={[
        { label: 'Priority', value: (d) => d.priority },
        { label: 'Open tickets', value: (d) => d.count },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e6e9ee" vertical={false} />
          <XAxis dataKey="priority" tick={axis} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip />
          <Bar dataKey="count" name="Open tickets" fill={COLORS.accent} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Ratings of closed tickets, 1 to 5. */
export function SatisfactionChart({ r }: { r: ReportSummary }): ReactElement {
  const s = r.satisfaction;
  const rows = [1, 2, 3, 4, 5].map((rating) => ({
    rating: `${rating} ★`,
    count: s.distribution.find((d) => d.rating === rating)?.count ?? 0,
  }));
  const summary = s.count ? `${s.count} ratings, average ${s.average?.toFixed(1)} of 5.` : 'No ratings in this period.';
  return (
    <ChartFigure
      title="Satisfaction"
      summary={summary}
      rows={s.count ? rows : []}
      empty="No ratings in this period."
      columns={[
        { label: 'Rating', value: (d) => d.rating },
        { label: 'Tickets', value: (d) => d.count },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e6e9ee" vertical={false} />
          <XAxis dataKey="rating" tick={axis} />
          <YAxis allowDecimals={false} tick={axis} />
          <Tooltip />
          <Bar dataKey="count" name="Tickets" fill={COLORS.ok} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** A horizontal ranking: top categories or top findings. */
export function RankingChart({
  title,
  rows,
  label,
  empty,
}: {
  title: string;
  rows: Array<{ name: string; count: number }>;
  label: string;
  empty: string;
}): ReactElement {
  const summary = rows.length
    ? rows
        .slice(0, 3)
        .map((x) => `${x.name} ${x.count}`)
        .join(', ') + (rows.length > 3 ? ', …' : '.')
    : empty;
  return (
    <ChartFigure
      title={title}
      summary={summary}
      rows={rows}
      empty={empty}
      columns={[
        { label, value: (d) => d.name },
        { label: 'Tickets', value: (d) => d.count },
      ]}
    >
      <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 30 + 40)}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e6e9ee" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axis} />
          <YAxis type="category" dataKey="name" tick={axis} width={170} />
          <Tooltip />
          <Bar dataKey="count" name="Tickets" fill={COLORS.accent} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}

/** Self-help that helped against tickets filed. */
export function DeflectionChart({ r }: { r: ReportSummary }): ReactElement {
  const d = r.deflection;
  const rows = [
    { name: 'Articles opened from the agent', count: d.articleViews },
    { name: '“This helped”', count: d.helped },
    { name: 'Tickets filed', count: d.tickets },
  ];
  const pct = d.percent === null ? '—' : `${Math.round(d.percent * 10) / 10}%`;
  return (
    <ChartFigure
      title="Deflection"
      summary={`${pct} deflected: ${d.helped} “this helped” against ${d.tickets} tickets; ${d.articleViews} articles opened.`}
      rows={d.articleViews + d.helped + d.tickets ? rows : []}
      empty="No self-help use or tickets in this period."
      columns={[
        { label: 'Measure', value: (x) => x.name },
        { label: 'Count', value: (x) => x.count },
      ]}
    >
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e6e9ee" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axis} />
          <YAxis type="category" dataKey="name" tick={axis} width={190} />
          <Tooltip />
          <Bar dataKey="count" name="Count" fill={COLORS.muted} {...still} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
