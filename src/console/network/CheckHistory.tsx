import { useState, type ReactElement } from 'react';
import { Bar, BarChart, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CheckHistoryDto } from '../../shared/api/netmon-history';
import type { ServerCheckDto } from '../../shared/api/netmon';
import { formatDateTime, formatRelative, formatSpan } from '../../shared/format';
import { useCheckHistory } from '../api/netmon-history.queries';
import { LoadError } from '../components/Badges';
import { formatMs, HEALTH_BADGE, HEALTH_COLOR, HEALTH_WORD } from './netmon-view';

/*
 * One server-side check's history (issue 14), from the Network page: its state now, availability and round
 * trips over the last day or week, the certificate's expiry for TLS checks, the latest runs as bars coloured
 * by state, and each state change with how long it lasted. Reached at /network/checks/:slug.
 */

const iso = (t: number) => new Date(t).toISOString();

function describe(c: ServerCheckDto): string {
  const d = c.definition;
  if (d.kind === 'http') return `${d.scheme.toUpperCase()} ${d.host}${d.port ? `:${d.port}` : ''}${d.path}`;
  return `${d.kind.toUpperCase()} ${d.host}:${d.port}`;
}

function Facts({ h }: { h: CheckHistoryDto }): ReactElement {
  const c = h.check;
  const cert =
    c.certExpiresAt === null
      ? 'not read yet'
      : `${formatDateTime(c.certExpiresAt)} (${c.certDaysLeft} day${c.certDaysLeft === 1 ? '' : 's'} left)`;
  const facts: [string, ReactElement | string][] = [
    ['Now', <span className={HEALTH_BADGE[c.health]}>{HEALTH_WORD[c.health]}</span>],
    ['Available', h.availabilityPct === null ? '—' : `${h.availabilityPct}%`],
    ['Average round trip', formatMs(h.rttMs)],
    ['95th percentile', formatMs(h.p95Ms)],
    ['Runs', String(h.runs)],
    ...(c.definition.kind === 'tls' ? [['Certificate expires', cert] as [string, string]] : []),
  ];
  return (
    <dl className="net-check-facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Runs({ recent }: { recent: CheckHistoryDto['recent'] }): ReactElement {
  const top = Math.max(5, ...recent.map((r) => r.rttMs ?? 0));
  const rows = recent.map((r) => ({ ...r, value: r.health === 'down' ? top : (r.rttMs ?? 0) }));
  const down = recent.filter((r) => r.health === 'down').length;
  return (
    <div role="img" aria-label={`The last ${recent.length} runs: ${down} down`} className="net-check-runs">
      <ResponsiveContainer width="100%" height={150}>
        <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={1}>
          <XAxis
            dataKey="t"
            tick={{ fontSize: 11, fill: '#5d6878' }}
            tickFormatter={(t: number) => new Date(t).toLocaleTimeString()}
            minTickGap={40}
            height={18}
          />
          <YAxis width={48} tick={{ fontSize: 11, fill: '#5d6878' }} tickFormatter={(v: number) => `${v} ms`} />
          <Tooltip
            labelFormatter={(t) => formatDateTime(iso(Number(t)))}
            formatter={(_v, _n, item) => {
              const r = item.payload as CheckHistoryDto['recent'][number];
              return [r.health === 'down' ? `down (${r.error ?? 'no answer'})` : formatMs(r.rttMs), 'Round trip'];
            }}
          />
          <Bar dataKey="value" minPointSize={2} maxBarSize={14} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.t} fill={HEALTH_COLOR[r.health]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function Changes({ h }: { h: CheckHistoryDto }): ReactElement {
  if (h.changes.length === 0) return <div className="empty">No runs in this window yet.</div>;
  return (
    <table className="table" aria-label="State changes">
      <thead>
        <tr>
          <th scope="col">Since</th>
          <th scope="col">State</th>
          <th scope="col">Lasted</th>
          <th scope="col">Round trip</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {h.changes.map((c, i) => {
          const until = i === 0 ? h.to : h.changes[i - 1]!.at;
          return (
            <tr key={c.at}>
              <td title={formatRelative(iso(c.at), h.to)}>{formatDateTime(iso(c.at))}</td>
              <td>
                <span className={HEALTH_BADGE[c.health]}>{HEALTH_WORD[c.health]}</span>
              </td>
              <td>
                {formatSpan(until - c.at)}
                {i === 0 ? <span className="muted small"> (so far)</span> : null}
              </td>
              <td>{formatMs(c.rttMs)}</td>
              <td className="small">{c.error ? <span className="error-text">{c.error}</span> : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The page of one server-side check's history. */
export function CheckHistoryPage({ params }: { params: Record<string, string> }): ReactElement {
  const slug = params.slug ?? '';
  const [days, setDays] = useState(1);
  const view = useCheckHistory(slug, days);
  const h = view.data;
  return (
    <section className="page net-page" aria-labelledby="check-title">
      <p className="small">
        <a href="/network">← Network</a>
      </p>
      <header className="page-header">
        <h1 id="check-title">{h ? h.check.definition.label : slug}</h1>
        {h ? <span className="mono small muted">{describe(h.check)}</span> : null}
        <div className="net-zoom" role="group" aria-label="Window">
          {[1, 7].map((d) => (
            <button
              key={d}
              type="button"
              className={`btn btn-small${days === d ? ' btn-primary' : ''}`}
              aria-pressed={days === d}
              onClick={() => setDays(d)}
            >
              {d === 1 ? 'Last 24 hours' : 'Last 7 days'}
            </button>
          ))}
        </div>
      </header>
      {view.isPending ? (
        <p className="muted" role="status">
          Loading the check’s history…
        </p>
      ) : view.isError ? (
        <LoadError message={view.error.message} onRetry={() => void view.refetch()} />
      ) : (
        <>
          <section className="card" aria-labelledby="check-summary">
            <h2 id="check-summary">Over the last {days === 1 ? '24 hours' : '7 days'}</h2>
            <Facts h={view.data} />
          </section>
          <section className="card" aria-labelledby="check-runs">
            <h2 id="check-runs">Latest runs</h2>
            <p className="muted small">
              Round trip of each run, every {view.data.check.definition.intervalSeconds} s; red bars are runs that got
              no answer, amber ones answered with a warning (a certificate about to expire).
            </p>
            <Runs recent={view.data.recent} />
          </section>
          <section className="card" aria-labelledby="check-changes">
            <h2 id="check-changes">State changes</h2>
            <Changes h={view.data} />
          </section>
        </>
      )}
    </section>
  );
}
