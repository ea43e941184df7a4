import type { ReactElement, ReactNode } from 'react';
import type { ProbeReport, SectionName } from '../../shared/snapshot/snapshot';
import { SECTION_TITLES } from '../../shared/snapshot/section-names';

/*
 * Building blocks of the snapshot viewer. Every value shown comes from the employee's computer,
 * so it is only ever rendered as React text.
 */

/** "yes" / "no" / "unknown" for tri-state facts. */
export function yesNo(value: boolean | null | undefined, yes = 'yes', no = 'no'): string {
  return value === null || value === undefined ? 'unknown' : value ? yes : no;
}

/** A value or a dash. */
export function v(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

/** Label/value pairs. */
export function KeyValues({ items }: { items: Array<[string, ReactNode]> }): ReactElement {
  return (
    <dl className="kv">
      {items.map(([label, value]) => (
        <div key={label} className="kv-row">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A plain table of rows; `empty` when there are none. */
export function DataTable<T>({
  columns,
  rows,
  empty,
  label,
}: {
  columns: Array<[string, (row: T) => ReactNode]>;
  rows: readonly T[];
  empty: string;
  label: string;
}): ReactElement {
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    // A scrolling region: focusable (tabIndex 0) so keyboard users can scroll it, and named.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={`${label} (scrollable)`}>
      <table className="table snap-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map(([title]) => (
              <th key={title}>{title}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map(([title, cell]) => (
                <td key={title}>{cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATUS_TEXT: Record<ProbeReport['status'], string> = {
  ok: 'collected',
  error: 'failed',
  timeout: 'timed out',
  unsupported: 'not supported on this system',
  omitted: 'left out by the employee',
};

/** One section card: its title, how its probe went, and its content or why there is none. */
export function SectionCard({
  name,
  probe,
  present,
  children,
}: {
  name: SectionName;
  probe: ProbeReport | undefined;
  present: boolean;
  children: ReactNode;
}): ReactElement {
  const failed = probe && probe.status !== 'ok';
  return (
    <section className="card snap-section" id={`section-${name}`} aria-labelledby={`section-${name}-title`}>
      <header className="snap-section-head">
        <h2 id={`section-${name}-title`}>{SECTION_TITLES[name]}</h2>
        {probe && (
          <span
            className={`badge ${probe.status === 'ok' ? '' : probe.status === 'omitted' || probe.status === 'unsupported' ? 'badge-info' : 'badge-critical'}`}
            title={`Probe took ${Math.round(probe.durationMs)} ms`}
          >
            {STATUS_TEXT[probe.status]}
            {probe.status !== 'omitted' && ` · ${Math.round(probe.durationMs)} ms`}
          </span>
        )}
      </header>
      {failed && probe?.error && (
        <p
          className={probe.status === 'error' || probe.status === 'timeout' ? 'alert alert-error probe-error' : 'muted'}
        >
          {probe.error.message} <span className="mono small">({probe.error.code})</span>
        </p>
      )}
      {present ? (
        children
      ) : (
        <p className="muted">{probe ? 'No data for this section.' : 'This section was not requested.'}</p>
      )}
    </section>
  );
}

/** A percentage bar with its number, coloured from `warnAt` and `critAt`. */
export function Meter({
  percent,
  warnAt = 80,
  critAt = 90,
  label,
}: {
  percent: number | null;
  warnAt?: number;
  critAt?: number;
  label: string;
}): ReactElement {
  if (percent === null) return <span className="muted">—</span>;
  // The browser colours a meter by region: below `low` green, up to `high` amber, above it red.
  return (
    <span className="meter-wrap">
      <meter
        className="meter"
        min={0}
        max={100}
        low={warnAt}
        high={critAt}
        optimum={0}
        value={percent}
        aria-label={label}
      />
      <span>{Math.round(percent)}%</span>
    </span>
  );
}
