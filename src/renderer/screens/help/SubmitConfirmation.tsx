import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { OutboxItem } from '../../../shared/ipc/contract';
import { Callout } from '../../components/Status';
import { useApp } from '../../lib/app-context';
import { useBridgeEvent } from '../../lib/hooks';
import { useIpcQuery } from '../../lib/ipc-query';

/**
 * After Send: says plainly whether the ticket reached the help desk or waits in the outbox, and
 * follows the outbox until it is sent (tickets:changed), then links to the ticket.
 */
export function SubmitConfirmation({ item, onAnother }: { item: OutboxItem; onAnother: () => void }): ReactElement {
  const [current, setCurrent] = useState(item);
  const { navigate } = useApp();

  // The ticket list is fetched on mount (the send may have finished before this screen showed) and
  // again on every tickets:changed event (ipc-cache.ts). It shows only items still waiting, so a sent
  // one is recognised by disappearing from the outbox while a ticket with its subject (the id from
  // the event, else the newest) appears.
  const list = useIpcQuery('tickets:list', {});
  const changedTicketId = useRef<number | null>(null);
  useBridgeEvent('tickets:changed', ({ ticketId }) => {
    changedTicketId.current = ticketId;
  });
  const sentAlready = current.state === 'sent';
  useEffect(() => {
    if (!list.value || sentAlready) return;
    const { outbox, tickets } = list.value;
    const queued = outbox.find((o) => o.outboxId === item.outboxId);
    if (queued) return setCurrent(queued);
    const written = Date.parse(item.createdAt) - 60_000;
    const candidates = tickets.filter((t) => t.subject === item.subject.trim() && Date.parse(t.createdAt) >= written);
    const ticket =
      candidates.find((t) => t.id === changedTicketId.current) ?? candidates.sort((a, b) => b.id - a.id)[0];
    if (ticket) setCurrent((c) => ({ ...c, state: 'sent', ticketId: ticket.id, error: null }));
  }, [list.value, item, sentAlready]);
  useEffect(() => {
    const h = document.querySelector<HTMLElement>('#confirmation-heading');
    h?.focus();
  }, []);

  const sent = current.state === 'sent' && current.ticketId !== null;
  return (
    <div className="stack" data-testid="confirmation">
      {sent ? (
        <Callout tone="ok" icon="ok">
          <h2 id="confirmation-heading" tabIndex={-1}>
            Sent to the help desk
          </h2>
          <p>
            Your request is ticket <strong>#{current.ticketId}</strong>. You will get a notification when a technician
            answers.
          </p>
        </Callout>
      ) : current.state === 'rejected' ? (
        <Callout tone="critical" icon="critical">
          <h2 id="confirmation-heading" tabIndex={-1}>
            The help desk refused this request
          </h2>
          <p>{current.error ?? 'No reason was given.'} You can retry or discard it from My tickets.</p>
        </Callout>
      ) : (
        <Callout tone="warning" icon="cloudOff">
          <h2 id="confirmation-heading" tabIndex={-1}>
            Saved — it will be sent when the help desk is reachable
          </h2>
          <p>
            Your request is safe in the outbox on this computer{current.error ? ` (last try: ${current.error})` : ''}.
            You don't need to do anything.
          </p>
        </Callout>
      )}
      <div className="row">
        {sent && current.ticketId !== null ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => navigate({ screen: 'ticket', ticketId: current.ticketId as number })}
          >
            Open ticket #{current.ticketId}
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={() => navigate({ screen: 'tickets' })}>
            Go to My tickets
          </button>
        )}
        <button type="button" className="button" onClick={onAnother}>
          Ask something else
        </button>
      </div>
    </div>
  );
}
