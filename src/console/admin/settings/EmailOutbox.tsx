import { useState, type ReactElement } from 'react';
import { MAIL_KIND_LABELS, isMailKind } from '../../../shared/mail/mail-kinds';
import { formatDateTime } from '../../../shared/format';
import { useOutbox, useRetryMail } from '../../api/mail.queries';
import { ErrorAlert } from '../common/ui';
import '../../mail/mail.css';
import { asApiError } from '../../api/query-client';

const STATUS_BADGE = {
  queued: 'badge-warning',
  sending: 'badge-info',
  sent: 'badge-ok',
  failed: 'badge-critical',
} as const;

/** The outbox: counts, and the failure log (failed and retrying mail) with "retry now"; or every recent mail. */
export function EmailOutbox(): ReactElement {
  const [view, setView] = useState<'problems' | 'all'>('problems');
  const outbox = useOutbox(view);
  const retry = useRetryMail();
  const counts = outbox.data?.counts;
  return (
    <section className="card stack mail-card" aria-label="Outbox">
      <div className="mail-card-head">
        <h2>Outbox</h2>
        <div className="toolbar">
          {counts ? (
            <>
              <span className="badge badge-ok">{counts.sent} sent</span>
              <span className="badge badge-warning">{counts.queued + counts.sending} waiting</span>
              <span className="badge badge-critical">{counts.failed} failed</span>
            </>
          ) : null}
          <select
            className="input"
            aria-label="Show"
            value={view}
            onChange={(e) => setView(e.target.value as 'problems' | 'all')}
          >
            <option value="problems">Failures and retries</option>
            <option value="all">All recent mail</option>
          </select>
        </div>
      </div>
      <ErrorAlert error={outbox.error ?? (retry.error ? asApiError(retry.error) : null)} />
      {outbox.data && outbox.data.mails.length === 0 ? (
        <p className="empty muted">{view === 'problems' ? 'No failures: every mail went out.' : 'No mail yet.'}</p>
      ) : (
        <table className="table" aria-label="Outgoing mail">
          <thead>
            <tr>
              <th>Mail</th>
              <th>To</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Last error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(outbox.data?.mails ?? []).map((m) => (
              <tr key={m.id}>
                <td>
                  <div>{m.subject}</div>
                  <div className="muted small">
                    {isMailKind(m.kind) ? MAIL_KIND_LABELS[m.kind] : m.kind} · {formatDateTime(m.createdAt)}
                  </div>
                </td>
                <td className="admin-nowrap">{m.to}</td>
                <td>
                  <span className={`badge ${STATUS_BADGE[m.status]}`}>{m.status}</span>
                  {m.status === 'queued' && m.attempts > 0 && m.nextAttemptAt ? (
                    <div className="muted small">next try {formatDateTime(m.nextAttemptAt)}</div>
                  ) : null}
                </td>
                <td className="admin-num">{m.attempts}</td>
                <td className="error-text admin-clamp">{m.lastError ?? ''}</td>
                <td>
                  {m.status === 'failed' || (m.status === 'queued' && m.attempts > 0) ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={retry.isPending}
                      onClick={() => retry.mutate(m.id)}
                    >
                      Retry now
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
