import type { ReactElement, ReactNode } from 'react';

/** One column of a chart's data table. */
export interface Column<Row> {
  label: string;
  value(row: Row): string | number;
}

/**
 * A chart with an accessible name: the caption names it, the drawing carries a one-sentence summary
 * as its label, and every number is in a table under "Numbers" for screen readers and copying.
 */
export function ChartFigure<Row>(props: {
  title: string;
  summary: string;
  rows: Row[];
  columns: Column<Row>[];
  children: ReactNode;
  empty?: string;
}): ReactElement {
  const hasData = props.rows.length > 0;
  return (
    <figure className="card admin-chart" aria-label={props.title}>
      <figcaption>
        <h2>{props.title}</h2>
        <p className="muted admin-chart-summary">{props.summary}</p>
      </figcaption>
      {hasData ? (
        <div role="img" aria-label={`${props.title}: ${props.summary}`} className="admin-chart-body">
          {props.children}
        </div>
      ) : (
        <div className="empty">{props.empty ?? 'Nothing in this period.'}</div>
      )}
      {hasData ? (
        <details className="admin-chart-data">
          <summary>Numbers</summary>
          <table className="table" aria-label={`${props.title} data`}>
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row, i) => (
                <tr key={i}>
                  {props.columns.map((c) => (
                    <td key={c.label}>{c.value(row)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </figure>
  );
}

/** A key figure: big number, label, and an optional detail line. */
export function Stat({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  testId?: string;
}): ReactElement {
  return (
    <div className="card admin-stat" data-testid={testId}>
      <div className="admin-stat-label">{label}</div>
      <div className="admin-stat-value">{value}</div>
      {detail ? <div className="muted admin-stat-detail">{detail}</div> : null}
    </div>
  );
}
