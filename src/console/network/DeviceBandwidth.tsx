import { useState, type ReactElement } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { BandwidthResult } from '../../shared/api/netmon-history';
import { formatBytes, formatDateTime, formatRelative } from '../../shared/format';
import { useDeviceBandwidth, useRequestBandwidth } from '../api/netmon-history.queries';
import { LoadError } from '../components/Badges';

/*
 * The device's bandwidth to the help-desk server (issue 14): its latest test, a short history, and "Measure
 * now", which asks the connected agent for a test over the live channel (`netmon.measure`); the result comes
 * back with the agent's next batch, a few seconds later, and the list re-reads until it is there.
 */

const DOWN = '#2557d6';
/** How long "Measuring…" waits for the agent's result. */
const WAIT_MS = 90_000;
const UP = '#18733f';

export const formatMbps = (v: number | null) =>
  v === null ? '—' : `${v >= 1000 ? Math.round(v) : Math.round(v * 10) / 10} Mbit/s`;
const how = (r: BandwidthResult) => (r.trigger === 'request' ? 'asked for' : 'scheduled');

function History({ results }: { results: BandwidthResult[] }): ReactElement {
  const rows = [...results].reverse().map((r) => ({ ...r, label: formatDateTime(new Date(r.at).toISOString()) }));
  return (
    <div className="net-bw-history">
      <div
        className="net-bw-chart"
        role="img"
        aria-label={`Download and upload of the last ${results.length} tests, oldest first`}
      >
        <ResponsiveContainer width="100%" height={120}>
          <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barGap={1}>
            <XAxis dataKey="label" hide />
            <YAxis width={44} tick={{ fontSize: 11, fill: '#5d6878' }} unit="" tickFormatter={(v: number) => `${v}`} />
            <Tooltip formatter={(v) => formatMbps(Number(v))} />
            <Bar dataKey="downMbps" name="Download" fill={DOWN} maxBarSize={18} isAnimationActive={false} />
            <Bar dataKey="upMbps" name="Upload" fill={UP} maxBarSize={18} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <ul className="net-legend" aria-hidden="true">
          <li>
            <span className="net-swatch" style={{ background: DOWN }} /> Download
          </li>
          <li>
            <span className="net-swatch" style={{ background: UP }} /> Upload (Mbit/s, oldest first)
          </li>
        </ul>
      </div>
      <table className="table net-bw-table" aria-label="Bandwidth tests">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Download</th>
            <th scope="col">Upload</th>
            <th scope="col">Moved</th>
            <th scope="col">How</th>
          </tr>
        </thead>
        <tbody>
          {results.slice(0, 6).map((r) => (
            <tr key={r.at}>
              <td>{formatDateTime(new Date(r.at).toISOString())}</td>
              <td>{formatMbps(r.downMbps)}</td>
              <td>{formatMbps(r.upMbps)}</td>
              <td>{formatBytes(r.bytes)}</td>
              <td className="muted">{how(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Latest bandwidth test, a short history and "Measure now" (inside the device's Network section). */
export function DeviceBandwidth({ deviceId }: { deviceId: string }): ReactElement {
  const [askedAt, setAskedAt] = useState<number | null>(null);
  const view = useDeviceBandwidth(deviceId, askedAt);
  const request = useRequestBandwidth(deviceId);
  if (view.isPending) return <p className="muted">Loading bandwidth tests…</p>;
  if (view.isError) return <LoadError message={view.error.message} onRetry={() => void view.refetch()} />;
  const { results, online, everyHours } = view.data;
  const latest = results[0] ?? null;
  const unanswered = askedAt !== null && (latest === null || latest.at < askedAt - 5_000);
  // A test takes seconds; past this the agent did not run it (monitoring off, or it went offline meanwhile).
  const waiting = unanswered && Date.now() - askedAt < WAIT_MS;
  const schedule =
    everyHours === 0 ? 'Agents test only when asked.' : `Agents also test on their own every ${everyHours} h.`;
  return (
    <section className="net-bw" aria-labelledby="net-bw-title">
      <header className="net-head">
        <h3 id="net-bw-title">Bandwidth to the help desk</h3>
        <button
          type="button"
          className="btn btn-small"
          disabled={!online || waiting || request.isPending}
          title={online ? undefined : 'The device is offline'}
          onClick={() => request.mutate(undefined, { onSuccess: (answer) => setAskedAt(answer.requestedAt) })}
        >
          {waiting ? 'Measuring…' : 'Measure now'}
        </button>
      </header>
      <p className="muted small" role="status">
        {request.isError
          ? request.error.message
          : waiting
            ? 'The agent is measuring; the result appears here in a few seconds.'
            : unanswered
              ? 'No result from the agent: it may have gone offline, or IT has turned network monitoring off.'
              : `${online ? '' : 'Offline: the agent can be asked when it is connected. '}${schedule}`}
      </p>
      {latest === null ? (
        <div className="empty">No bandwidth test from this device yet.</div>
      ) : (
        <>
          <dl className="net-bw-latest" aria-label="Latest bandwidth test">
            <div>
              <dt>Download</dt>
              <dd style={{ color: DOWN }}>{formatMbps(latest.downMbps)}</dd>
            </div>
            <div>
              <dt>Upload</dt>
              <dd style={{ color: UP }}>{formatMbps(latest.upMbps)}</dd>
            </div>
            <div>
              <dt>Measured</dt>
              <dd className="net-bw-when" title={formatDateTime(new Date(latest.at).toISOString())}>
                {formatRelative(new Date(latest.at).toISOString(), Date.now())}
                <span className="muted small">
                  {' '}
                  · {how(latest)}, {formatBytes(latest.bytes)} moved
                </span>
              </dd>
            </div>
          </dl>
          {results.length > 1 ? <History results={results} /> : null}
        </>
      )}
    </section>
  );
}
