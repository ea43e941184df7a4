import { useState, type FormEvent, type ReactElement } from 'react';
import type { IpcResponse } from '../../../shared/ipc/contract';
import { useAnnounce } from '../../components/Announcer';
import { Page } from '../../components/Page';
import { Badge, Callout, ErrorBox, Loading } from '../../components/Status';
import { Time } from '../../components/Time';
import { useApp } from '../../lib/app-context';
import { PRIORITY_LABELS } from '../../lib/constants';
import { useMarkInteractive } from '../../lib/hooks';
import { useIpcMutation, useIpcQuery } from '../../lib/ipc-query';
import { categoryName, STATUS_LABELS } from '../../lib/labels';
import { MessageItem } from './MessageItem';
import { RatingForm } from './RatingForm';
import { PresenceLine, useTypingSignal } from './TicketPresence';
import { MESSAGE_BODY_MAX } from '../../../shared/ticket-fields';

type ThreadResponse = IpcResponse<'tickets:get'>;

/** One ticket's thread: messages, reply, mark solved, reopen, and rating once solved. */
export function TicketScreen({ ticketId }: { ticketId: number }): ReactElement {
  // Kept current by `tickets:changed` events and by the answers of the actions below (ipc-cache.ts).
  const query = useIpcQuery('tickets:get', { ticketId });
  const thread = query.value;
  const replyTo = useIpcMutation('tickets:reply');
  const reopen = useIpcMutation('tickets:reopen');
  const solve = useIpcMutation('tickets:solve');
  const rate = useIpcMutation('tickets:rate');
  const [reply, setReply] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { navigate } = useApp();
  const announce = useAnnounce();
  const signalTyping = useTypingSignal(ticketId);
  useMarkInteractive(query.status !== 'loading');

  async function act(run: () => Promise<ThreadResponse>, done: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    const response = await run();
    setBusy(false);
    if (!response.ok) {
      setError(response.error.message);
      return false;
    }
    announce(done);
    return true;
  }

  async function sendReply(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (reply.trim().length === 0) return setError('Write a reply first.');
    const resolved = thread?.ticket.status === 'resolved' || thread?.ticket.status === 'closed';
    const ok = resolved
      ? await act(() => reopen({ ticketId, body: reply }), 'Ticket reopened with your reply.')
      : await act(() => replyTo({ ticketId, body: reply }), 'Reply sent.');
    if (ok) setReply('');
  }

  const back = { label: 'My tickets', onClick: () => navigate({ screen: 'tickets' }) };
  if (!thread) {
    return (
      <Page title={`Ticket #${ticketId}`} back={back}>
        {query.status === 'error' ? (
          <ErrorBox title="This ticket could not be opened" message={query.error} onRetry={query.reload} />
        ) : (
          <Loading label="Opening the ticket…" />
        )}
      </Page>
    );
  }

  const { ticket, messages } = thread;
  const status = STATUS_LABELS[ticket.status];
  const active = ticket.status === 'new' || ticket.status === 'open' || ticket.status === 'pending';
  return (
    <Page
      title={ticket.subject}
      back={back}
      subtitle={
        <>
          <span data-testid="ticket-status">
            <Badge tone={status.tone}>{status.label}</Badge>
          </span>{' '}
          #{ticket.id} · {categoryName(ticket.category)} · {PRIORITY_LABELS[ticket.priority]} priority ·{' '}
          <Time iso={ticket.createdAt} prefix="opened" />
          {ticket.assigneeName ? ` · with ${ticket.assigneeName}` : ''}
        </>
      }
      actions={
        active ? (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void act(() => solve({ ticketId }), 'Marked as solved. Thank you!')}
          >
            Mark as solved
          </button>
        ) : undefined
      }
    >
      {ticket.description && (
        <section className="card" aria-labelledby="description-label">
          <span id="description-label" className="muted small description-label">
            What you wrote
          </span>
          <p className="pre-wrap">{ticket.description}</p>
        </section>
      )}
      <ol className="thread" aria-label="Messages" aria-live="polite">
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} />
        ))}
      </ol>
      {messages.length === 0 && (
        <p className="muted">No replies yet. A technician will answer here; you will get a notification.</p>
      )}
      <PresenceLine ticketId={ticketId} />
      {ticket.status === 'resolved' && ticket.satisfaction === null && (
        <RatingForm
          onRate={async (satisfaction, comment) => {
            const ok = await act(() => rate({ ticketId, satisfaction, comment }), 'Thanks for your rating.');
            return ok ? null : 'The rating could not be sent.';
          }}
        />
      )}
      {ticket.satisfaction !== null && (
        <Callout tone="ok" icon="ok">
          <p>You rated this {ticket.satisfaction} out of 5. Thank you!</p>
        </Callout>
      )}
      {ticket.status === 'closed' ? (
        <p className="muted">This ticket is closed. If the problem is back, please ask again from Get help.</p>
      ) : (
        <form className="reply stack" onSubmit={(e) => void sendReply(e)} noValidate>
          <label htmlFor="reply-body">
            {ticket.status === 'resolved' ? 'Not fixed after all? Reply to reopen it' : 'Reply'}
          </label>
          <textarea
            id="reply-body"
            rows={3}
            maxLength={MESSAGE_BODY_MAX}
            value={reply}
            onChange={(e) => {
              setReply(e.target.value);
              signalTyping(e.target.value);
            }}
            aria-describedby={error ? 'reply-error' : undefined}
          />
          {error && (
            <p id="reply-error" className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="row">
            <button type="submit" className="button button-primary" disabled={busy}>
              {ticket.status === 'resolved' ? 'Reopen with this reply' : 'Send reply'}
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
