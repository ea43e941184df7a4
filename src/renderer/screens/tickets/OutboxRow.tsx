import { useState, type ReactElement } from 'react';
import type { OutboxItem } from '../../../shared/ipc/contract';
import { useAnnounce } from '../../components/Announcer';
import { Badge } from '../../components/Status';
import { Time } from '../../components/Time';
import { useIpcMutation } from '../../lib/ipc-query';

const STATE: Record<OutboxItem['state'], { label: string; tone: 'warning' | 'info' | 'ok' | 'critical' }> = {
  queued: { label: 'Waiting to send', tone: 'warning' },
  sending: { label: 'Sending…', tone: 'info' },
  sent: { label: 'Sent', tone: 'ok' },
  rejected: { label: 'Refused by the help desk', tone: 'critical' },
};

/** A request still in the outbox: its state, the server's reason when refused, Retry and Discard. */
export function OutboxRow({ item }: { item: OutboxItem }): ReactElement {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const announce = useAnnounce();
  // Both refresh the ticket list on every screen (ipc-cache.ts).
  const retryItem = useIpcMutation('outbox:retry');
  const discardItem = useIpcMutation('outbox:discard');

  async function retry(): Promise<void> {
    setError(null);
    const response = await retryItem({ outboxId: item.outboxId });
    if (!response.ok) return setError(response.error.message);
    announce('Trying to send it again.');
  }

  async function discard(): Promise<void> {
    const response = await discardItem({ outboxId: item.outboxId });
    if (!response.ok) return setError(response.error.message);
    announce('The request was discarded.');
  }

  const look = STATE[item.state];
  return (
    <li className="ticket-row outbox-row" data-testid="outbox-item">
      <div className="ticket-row-main">
        <span className="ticket-subject">{item.subject}</span>
        <span className="muted small">
          <Time iso={item.createdAt} prefix="Written" />
          {item.state === 'queued' && item.nextAttemptAt ? (
            <>
              {' · '}
              <Time iso={item.nextAttemptAt} prefix="next try" />
            </>
          ) : null}
        </span>
        {item.error && <span className={item.state === 'rejected' ? 'field-error' : 'muted small'}>{item.error}</span>}
        {error && <span className="field-error">{error}</span>}
      </div>
      <div className="ticket-row-side">
        <Badge tone={look.tone}>{look.label}</Badge>
        {(item.state === 'queued' || item.state === 'rejected') && !confirming && (
          <button type="button" className="button button-small" onClick={() => void retry()}>
            {item.state === 'queued' ? 'Send now' : 'Retry'}
          </button>
        )}
        {item.state === 'rejected' && !confirming && (
          <button type="button" className="button button-small button-danger-quiet" onClick={() => setConfirming(true)}>
            Discard…
          </button>
        )}
        {confirming && (
          <div className="confirm" role="group" aria-label="Discard this request?">
            <span className="small">Discard it for good? It will not be sent.</span>
            <button type="button" className="button button-small button-danger" onClick={() => void discard()}>
              Discard request
            </button>
            <button type="button" className="button button-small" onClick={() => setConfirming(false)} autoFocus>
              Keep it
            </button>
          </div>
        )}
      </div>
    </li>
  );
}
