import type { ReactElement } from 'react';
import type { MessageDto } from '../../../shared/api/tickets';
import { Markdown } from '../../components/Markdown';
import { Time } from '../../components/Time';

function author(message: MessageDto): string {
  switch (message.author.type) {
    case 'device':
      return 'You';
    case 'staff':
      return message.author.name ?? 'Help desk';
    case 'system':
      return 'Deskside';
  }
}

/** One message of a thread; every body, staff replies above all, goes through the safe renderer. */
export function MessageItem({ message }: { message: MessageDto }): ReactElement {
  const who = author(message);
  return (
    <li className={`message message-${message.author.type}`} data-testid="message" data-author={message.author.type}>
      <div className="message-head">
        <span className="avatar" aria-hidden="true">
          {who.charAt(0).toUpperCase()}
        </span>
        <strong>{who}</strong>
        {message.author.type === 'staff' && <span className="muted small">Help desk</span>}
        <span className="spacer" />
        <span className="muted small">
          <Time iso={message.createdAt} />
        </span>
      </div>
      <Markdown text={message.body} className="message-body" />
      {message.attachments.length > 0 && (
        <p className="muted small">Attached: {message.attachments.map((a) => a.filename).join(', ')}</p>
      )}
    </li>
  );
}
