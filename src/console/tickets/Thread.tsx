import type { ReactElement } from 'react';
import { attachmentUrl, useTicketAttachments } from '../api/tickets.queries';
import type { MessageDto, TicketDto } from '../../shared/api/tickets';
import { formatBytes, formatDateTime } from '../../shared/format';
import { Markdown } from '../../ui/Markdown';

function Attachments({ items }: { items: MessageDto['attachments'] }): ReactElement | null {
  if (items.length === 0) return null;
  return (
    <ul className="attachments" aria-label="Attachments">
      {items.map((a) => (
        <li key={a.id}>
          {a.kind === 'screenshot' && ['image/png', 'image/jpeg', 'image/webp'].includes(a.contentType) && (
            <a href={attachmentUrl(a.id)} target="_blank" rel="noopener noreferrer">
              <img className="screenshot" src={attachmentUrl(a.id)} alt={`Screenshot ${a.filename}`} loading="lazy" />
            </a>
          )}
          <a href={attachmentUrl(a.id)} download={a.filename} className="attachment-link">
            {a.filename}
          </a>{' '}
          <span className="muted small">{formatBytes(a.size)}</span>
        </li>
      ))}
    </ul>
  );
}

/** What the employee filed with the request itself (the agent's screenshot), loaded beside the thread. */
function RequestAttachments({ ticketId }: { ticketId: number }): ReactElement | null {
  // The thread still reads without them; a failed load is not worth a banner.
  const items = useTicketAttachments(ticketId).data ?? [];
  return <Attachments items={items} />;
}

/** Delivered (the employee's computer has it) and read (they opened it), on staff replies. */
function DeliveryMark({ message }: { message: MessageDto }): ReactElement | null {
  if (message.author.type !== 'staff' || message.internal) return null;
  if (message.readAt)
    return (
      <span className="delivery-mark delivery-read" title={`Read ${formatDateTime(message.readAt)}`}>
        ✓✓ Read
      </span>
    );
  if (message.deliveredAt)
    return (
      <span className="delivery-mark" title={`Delivered ${formatDateTime(message.deliveredAt)}`}>
        ✓ Delivered
      </span>
    );
  return null;
}

const AUTHOR_CLASS = { device: 'msg-device', staff: 'msg-staff', system: 'msg-system' } as const;

function Message({ message }: { message: MessageDto }): ReactElement {
  const kind = message.internal ? 'msg-internal' : AUTHOR_CLASS[message.author.type];
  const who =
    message.author.name ??
    (message.author.type === 'device' ? 'Employee' : message.author.type === 'system' ? 'System' : 'Staff');
  return (
    <article
      className={`msg ${kind}`}
      aria-label={`${message.internal ? 'Internal note' : 'Message'} from ${who}`}
      data-message-id={message.id}
    >
      <header className="msg-head">
        <strong>{who}</strong>
        {message.internal && <span className="badge badge-warning">Internal note</span>}
        {message.author.type === 'device' && <span className="badge">Employee</span>}
        <span className="spacer" />
        <time className="muted small" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </time>
        <DeliveryMark message={message} />
      </header>
      {message.author.type === 'device' ? (
        <p className="msg-plain">{message.body}</p>
      ) : (
        <Markdown text={message.body} className="msg-body" />
      )}
      <Attachments items={message.attachments} />
    </article>
  );
}

/** The conversation: the employee's request, then every message; internal notes stand apart. */
export function Thread({ ticket, messages }: { ticket: TicketDto; messages: MessageDto[] }): ReactElement {
  return (
    <div className="thread" aria-label="Conversation">
      <article className="msg msg-device msg-request" aria-label="Request">
        <header className="msg-head">
          <strong>{ticket.requester.name ?? 'Employee'}</strong>
          <span className="badge">Request</span>
          <span className="spacer" />
          <time className="muted small" dateTime={ticket.createdAt}>
            {formatDateTime(ticket.createdAt)}
          </time>
        </header>
        <h2 className="msg-subject">{ticket.subject}</h2>
        {ticket.description ? (
          <p className="msg-plain">{ticket.description}</p>
        ) : (
          <p className="muted">No description.</p>
        )}
        <RequestAttachments ticketId={ticket.id} />
      </article>
      {messages.map((m) => (
        <Message key={m.id} message={m} />
      ))}
    </div>
  );
}
