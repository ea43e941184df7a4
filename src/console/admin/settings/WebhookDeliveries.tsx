import type { ReactElement } from 'react';
import type { WebhookDeliveryDto, WebhookDto } from '../../../shared/api/webhooks';
import { formatDateTime } from '../../../shared/format';
import { useWebhookDeliveries } from '../../api/integrations.queries';

function statusBadge(d: WebhookDeliveryDto): ReactElement {
  if (d.status === 'succeeded') return <span className="badge badge-ok">Delivered</span>;
  if (d.status === 'failed') return <span className="badge badge-critical">Failed</span>;
  return (
    <span className="badge badge-warning">
      {d.attempts === 0 ? 'Queued' : `Retry ${d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : 'soon'}`}
    </span>
  );
}

/** A webhook's delivery log: outcome, HTTP status, time taken, the start of the answer, and redeliver. */
export function WebhookDeliveries(props: {
  webhook: WebhookDto;
  onRedeliver(id: number): Promise<void>;
  onClose(): void;
}): ReactElement {
  const log = useWebhookDeliveries(props.webhook.id);
  return (
    <div className="card stack" role="region" aria-label={`Deliveries of ${props.webhook.name}`}>
      <div className="row">
        <h2 className="admin-grow">Deliveries: {props.webhook.name}</h2>
        <button type="button" className="btn btn-small" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        Failed deliveries are retried after 30 s, 2 min, 10 min, 1 h and 6 h, then given up. Redeliver sends the same
        event again now.
      </p>
      <div className="admin-flush">
        <table className="table" aria-label="Delivery log">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>Status</th>
              <th className="admin-num">HTTP</th>
              <th className="admin-num">Time</th>
              <th className="admin-num">Attempts</th>
              <th>Answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(log.data ?? []).map((d) => (
              <tr key={d.id}>
                <td className="admin-nowrap">{formatDateTime(d.lastAttemptAt ?? d.createdAt)}</td>
                <td>
                  <code>{d.event}</code>
                </td>
                <td>{statusBadge(d)}</td>
                <td className="admin-num">{d.responseStatus ?? '—'}</td>
                <td className="admin-num">{d.durationMs === null ? '—' : `${d.durationMs} ms`}</td>
                <td className="admin-num">{d.attempts}</td>
                <td className="webhook-excerpt" title={d.responseExcerpt ?? d.error ?? ''}>
                  {d.error && d.error !== `HTTP ${d.responseStatus}` ? (
                    <span className="critical">{d.error}</span>
                  ) : null}
                  {d.responseExcerpt ? <code>{d.responseExcerpt}</code> : null}
                </td>
                <td>
                  <button type="button" className="btn btn-small" onClick={() => void props.onRedeliver(d.id)}>
                    {d.status === 'succeeded' ? 'Redeliver' : 'Retry now'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {log.data && log.data.length === 0 ? (
          <div className="empty">No deliveries yet. “Send test event” makes one.</div>
        ) : null}
      </div>
    </div>
  );
}
