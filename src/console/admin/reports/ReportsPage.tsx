import { useMemo, useState, type ReactElement } from 'react';
import { reportCsvUrl, useReportSummary } from '../../api/reports.queries';
import { useCategories } from '../../api/settings.queries';
import { formatMinutes, formatPercent } from '../../../shared/format';
import { AdminPage, ErrorAlert } from '../common/ui';
import {
  BacklogChart,
  DeflectionChart,
  RankingChart,
  SatisfactionChart,
  SlaChart,
  TimesChart,
  VolumeChart,
} from './charts';
import { Stat } from './ChartFigure';
import { lastDays, rangeProblem, type DateRange, type PeriodChoice } from './period';

/** Reports for IT over a period: volume, times, SLA, backlog, satisfaction, categories, findings, deflection. */
export function ReportsPage(): ReactElement {
  const [choice, setChoice] = useState<PeriodChoice>('30');
  const [custom, setCustom] = useState<DateRange>(() => lastDays(30, Date.now()));
  const range = useMemo(() => (choice === 'custom' ? custom : lastDays(Number(choice), Date.now())), [choice, custom]);
  const problem = choice === 'custom' ? rangeProblem(range) : null;
  const report = useReportSummary(problem ? null : range);
  const labels = useCategories();
  const labelOf = (category: string) => labels.data?.find((c) => c.category === category)?.label ?? category;
  const r = problem ? null : report.data;

  return (
    <AdminPage
      title="Reports"
      actions={
        <a className="btn" href={reportCsvUrl(range)} download>
          Export CSV
        </a>
      }
    >
      <div className="toolbar" role="group" aria-label="Report period">
        <label className="row">
          <span className="admin-label">Period</span>
          <select
            className="input"
            value={choice}
            onChange={(e) => setChoice(e.target.value as PeriodChoice)}
            aria-label="Period"
          >
            <option value="7">Last 7 days</option>
            <option value="30">Last 30 days</option>
            <option value="90">Last 90 days</option>
            <option value="custom">Custom…</option>
          </select>
        </label>
        {choice === 'custom' ? (
          <>
            <label className="row">
              <span className="admin-label">From</span>
              <input
                className="input"
                type="date"
                value={custom.from}
                onChange={(e) => setCustom({ ...custom, from: e.target.value })}
              />
            </label>
            <label className="row">
              <span className="admin-label">To</span>
              <input
                className="input"
                type="date"
                value={custom.to}
                onChange={(e) => setCustom({ ...custom, to: e.target.value })}
              />
            </label>
          </>
        ) : null}
        <span className="muted">
          {range.from} – {range.to} (UTC days)
        </span>
        {report.isFetching ? (
          <span className="muted" aria-live="polite">
            Loading…
          </span>
        ) : null}
      </div>
      {problem ? (
        <div className="alert alert-error" role="alert">
          {problem}
        </div>
      ) : null}
      <ErrorAlert error={report.error} prefix="Could not load the report" />
      {r ? (
        <>
          <section className="admin-stats" aria-label="Key figures">
            <Stat
              testId="stat-opened"
              label="Opened"
              value={String(r.volume.opened)}
              detail={`${r.volume.closed} closed`}
            />
            <Stat
              testId="stat-first-response"
              label="First response (median)"
              value={formatMinutes(r.firstResponse.medianMinutes)}
              detail={`p90 ${formatMinutes(r.firstResponse.p90Minutes)} · ${r.firstResponse.count} tickets`}
            />
            <Stat
              testId="stat-resolution"
              label="Resolution (median)"
              value={formatMinutes(r.resolution.medianMinutes)}
              detail={`p90 ${formatMinutes(r.resolution.p90Minutes)} · ${r.resolution.count} tickets`}
            />
            <Stat
              testId="stat-sla"
              label="SLA first response met"
              value={formatPercent(r.sla.firstResponse.percent)}
              detail={`resolution ${formatPercent(r.sla.resolution.percent)}`}
            />
            <Stat
              testId="stat-backlog"
              label="Backlog now"
              value={String(r.backlog.total)}
              detail={`${r.backlog.byPriority.p1} P1 · ${r.backlog.byPriority.p2} P2`}
            />
            <Stat
              testId="stat-satisfaction"
              label="Satisfaction"
              value={r.satisfaction.average === null ? '—' : `${r.satisfaction.average.toFixed(1)} / 5`}
              detail={`${r.satisfaction.count} ratings`}
            />
            <Stat
              testId="stat-deflection"
              label="Deflection"
              value={formatPercent(r.deflection.percent)}
              detail={`${r.deflection.helped} helped · ${r.deflection.tickets} tickets`}
            />
          </section>
          <VolumeChart r={r} />
          <div className="admin-charts">
            <TimesChart r={r} />
            <SlaChart r={r} />
            <BacklogChart r={r} />
            <SatisfactionChart r={r} />
            <RankingChart
              title="Top categories"
              label="Category"
              rows={r.topCategories.map((c) => ({ name: labelOf(c.category), count: c.count }))}
              empty="No tickets in this period."
            />
            <RankingChart
              title="Top findings"
              label="Finding"
              rows={r.topFindings.map((f) => ({ name: f.code, count: f.count }))}
              empty="No health findings on this period's tickets."
            />
            <DeflectionChart r={r} />
          </div>
        </>
      ) : null}
    </AdminPage>
  );
}
