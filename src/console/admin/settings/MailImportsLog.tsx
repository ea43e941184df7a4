import { useState, type ReactElement } from 'react';
import { MAIL_IMPORT_OUTCOMES, type MailImportOutcome } from '../../../shared/mailbox-fields';
import { formatDateTime } from '../../../shared/format';
import { useMailImports, useRetryMailImport } from '../../api/mailbox.queries';
import { asApiError } from '../../api/query-client';
import { ErrorAlert } from '../common/ui';
import '../../mail/mailbox.css';

/** Each outcome's words and colour in the log. */
export const OUTCOME_LABELS: Record<MailImportOutcome, string> = {
  ticket: 'New ticket',
  reply: 'Reply',
  'auto-reply': 'Auto-reply',
  bounce: 'Bounce',
  loop: 'Loop',
  'not-served': 'Not served',
  failed: 'Failed',
};

const OUTCOME_HINTS: Record<MailImportOutcome, string> = {
  ticket: 'It opened a new ticket',
  reply: 'It was added to an existing ticket',
  'auto-reply': 'An out-of-office or other automatic answer: logged, no ticket',
  bounce: 'A delivery failure notice: logged, no ticket',
  loop: 'Deskside’s own mail coming back: logged, no ticket',
  'not-served': 'An unknown sender while unknown senders are refused: answered once, no ticket',
  failed: 'It could not be imported; the reason says why',
};

export function OutcomeBadge({ outcome }: { outcome: MailImportOutcome }): ReactElement {
  return (
    <span className={`badge mailbox-outcome mailbox-outcome-${outcome}`} title={OUTCOME_HINTS[outcome]}>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** The import log: what became of each incoming message, newest first, by outcome, a page at a time. */
export function MailImportsLog(): ReactElement {
  const [outcome, setOutcome] = useState<MailImportOutcome | null>(null);
  const log = useMailImports(outcome);
  const retry = useRetryMailImport();
  const pages = log.data?.pages ?? [];
  const rows = pages.flatMap((p) => p.imports);
  const counts = pages[0]?.counts;
  const total = counts ? MAIL_IMPORT_OUTCOMES.reduce((sum, o) => sum + counts[o], 0) : null;
  return (
    <section className="card stack mail-card" aria-label="Import log">
      <div className="mail-card-head">
        <h2>Import log</h2>
        <label className="mailbox-filter">
          <span>Outcome</span>
          <select
            className="input"
            aria-label="Outcome"
            value={outcome ?? ''}
            onChange={(e) => setOutcome(e.target.value === '' ? null : (e.target.value as MailImportOutcome))}
          >
            <option value="">All outcomes{total === null ? '' : ` (${total})`}</option>
            {MAIL_IMPORT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {OUTCOME_LABELS[o]}
                {counts ? ` (${counts[o]})` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">
        Every message that reached the help desk and what became of it. A message that could not be imported is tried
        again, and kept until it imports; “Retry now” imports it again at once, with the settings of now.
      </p>
      <ErrorAlert error={log.error ?? (retry.error ? asApiError(retry.error) : null)} />
      {log.data && rows.length === 0 ? (
        <p className="empty muted">
          {outcome ? `No messages with the outcome “${OUTCOME_LABELS[outcome]}”.` : 'No mail has come in yet.'}
        </p>
      ) : (
        <div className="admin-flush">
          <table className="table" aria-label="Incoming messages">
            <thead>
              <tr>
                <th>When</th>
                <th>Outcome</th>
                <th>From</th>
                <th>Subject</th>
                <th>Ticket</th>
                <th>Reason</th>
                <th className="admin-num">Attempts</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.id}>
                  <td className="admin-nowrap">
                    <div>{formatDateTime(m.createdAt)}</div>
                    <div className="muted small">via {m.source.toUpperCase()}</div>
                  </td>
                  <td>
                    <OutcomeBadge outcome={m.outcome} />
                  </td>
                  <td className="mailbox-from">{m.from || <span className="muted">(no sender)</span>}</td>
                  <td className="mailbox-subject" title={m.messageId}>
                    {m.subject || <span className="muted">(no subject)</span>}
                  </td>
                  <td className="admin-nowrap">
                    {m.ticketId === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <a href={`/tickets/${m.ticketId}`}>#{m.ticketId}</a>
                    )}
                  </td>
                  <td className="mailbox-reason">
                    {m.reason ? (
                      <span className={m.outcome === 'failed' ? 'error-text' : undefined}>{m.reason}</span>
                    ) : null}
                    {m.rawKept ? <div className="muted small">Message kept for the retry</div> : null}
                  </td>
                  <td className="admin-num">{m.attempts}</td>
                  <td>
                    {m.outcome === 'failed' && m.rawKept ? (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={retry.isPending}
                        onClick={() => retry.mutate(m.id)}
                        aria-label={`Retry now: ${m.subject || m.messageId}`}
                      >
                        Retry now
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <div className="toolbar">
          <button
            type="button"
            className="btn"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
