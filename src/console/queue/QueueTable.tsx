import { memo, useEffect, useRef, type ReactElement } from 'react';
import { useLocation } from 'wouter';
import type { TicketDto } from '../../shared/api/tickets';
import { PriorityBadge, SlaBadge, StatusBadge } from '../components/Badges';
import { formatRelative } from '../../shared/format';

interface RowProps {
  ticket: TicketDto;
  selected: boolean;
  unread: boolean;
  fresh: boolean;
  now: number;
  index: number;
  onSelect(index: number): void;
}

const Row = memo(function Row({ ticket, selected, unread, fresh, now, index, onSelect }: RowProps): ReactElement {
  const ref = useRef<HTMLTableRowElement>(null);
  const [, navigate] = useLocation();
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const classes = ['queue-row', selected && 'selected', unread && 'unread', fresh && 'fresh'].filter(Boolean).join(' ');
  return (
    <tr
      ref={ref}
      className={classes}
      data-ticket-id={ticket.id}
      aria-current={selected ? 'true' : undefined}
      onClick={(e) => {
        onSelect(index);
        if (!(e.target as Element).closest('a')) navigate(`/tickets/${ticket.id}`);
      }}
    >
      <td className="queue-unread">
        {unread && (
          <span className="unread-dot" title="New activity since you last opened it">
            <span className="visually-hidden">Unread</span>
          </span>
        )}
      </td>
      <td className="queue-id mono">#{ticket.id}</td>
      <td className="queue-subject">
        <a href={`/tickets/${ticket.id}`} className="queue-link">
          {ticket.subject}
        </a>
        <div className="muted small">
          {ticket.requester.name ?? 'Unknown requester'}
          {ticket.device && <> · {ticket.device.hostname}</>}
          {ticket.findingCodes.length > 0 && (
            <>
              {' '}
              · {ticket.findingCodes.length} finding{ticket.findingCodes.length === 1 ? '' : 's'}
            </>
          )}
        </div>
      </td>
      <td>
        <StatusBadge status={ticket.status} />
      </td>
      <td>
        <PriorityBadge priority={ticket.priority} />
      </td>
      <td>
        <SlaBadge ticket={ticket} now={now} />
      </td>
      <td className="queue-assignee">
        {ticket.assignee?.name ?? <span className="muted">Unassigned</span>}
        {ticket.group && <div className="muted small">{ticket.group}</div>}
      </td>
      <td className="muted small queue-updated">{formatRelative(ticket.lastMessageAt, now)}</td>
    </tr>
  );
});

/** The queue as a table, with the keyboard selection, unread dots and fresh highlights. */
export function QueueTable(props: {
  tickets: TicketDto[];
  selected: number;
  isUnread(t: TicketDto): boolean;
  fresh: ReadonlySet<number>;
  now: number;
  onSelect(index: number): void;
}): ReactElement {
  const { tickets, selected, isUnread, fresh, now, onSelect } = props;
  return (
    <table className="table queue-table" aria-label="Ticket queue" aria-describedby="queue-keys">
      <thead>
        <tr>
          <th className="queue-unread">
            <span className="visually-hidden">Unread</span>
          </th>
          <th>#</th>
          <th>Subject</th>
          <th>Status</th>
          <th>Priority</th>
          <th>SLA</th>
          <th>Assignee</th>
          <th>Activity</th>
        </tr>
      </thead>
      <tbody>
        {tickets.map((ticket, index) => (
          <Row
            key={ticket.id}
            ticket={ticket}
            index={index}
            selected={index === selected}
            unread={isUnread(ticket)}
            fresh={fresh.has(ticket.id)}
            now={now}
            onSelect={onSelect}
          />
        ))}
      </tbody>
    </table>
  );
}
