import type { ReactElement } from 'react';
import type { TicketEventDto } from '../../shared/api/sla';
import { useTicketEvents } from '../api/tickets.queries';
import { LoadError } from '../components/Badges';
import { formatDateTime } from '../../shared/format';

const LABELS: Record<string, string> = {
  created: 'Ticket filed',
  status_changed: 'Status changed',
  assignee_changed: 'Assignee changed',
  group_changed: 'Group changed',
  category_changed: 'Category changed',
  urgency_changed: 'Urgency changed',
  impact_changed: 'Impact changed',
  priority_changed: 'Priority changed',
  escalated: 'Escalated',
  sla_state_changed: 'SLA state changed',
  first_response: 'First response',
  message_posted: 'Message posted',
  rated: 'Rated by the employee',
};

/** A readable one-liner of an event's data: "open → pending", then any other facts. */
function describe(data: Record<string, unknown>): string {
  const plain = (v: unknown) => v !== undefined && typeof v !== 'object';
  const shown = (v: unknown) => (v === null ? 'none' : String(v));
  const parts: string[] = [];
  if ('from' in data || 'to' in data) parts.push(`${shown(data.from ?? null)} → ${shown(data.to ?? null)}`);
  for (const [k, v] of Object.entries(data))
    if (k !== 'from' && k !== 'to' && v !== null && plain(v)) parts.push(`${k}: ${String(v)}`);
  return parts.join(' · ');
}

/** The ticket's history (GET /tickets/:id/events), oldest first. */
export function History({ ticketId }: { ticketId: number }): ReactElement {
  const events = useTicketEvents(ticketId);
  if (events.isPending) return <p className="muted">Loading history…</p>;
  if (events.isError) return <LoadError message={events.error.message} onRetry={() => void events.refetch()} />;
  return (
    <ol className="history card">
      {events.data.map((e: TicketEventDto) => (
        <li key={e.id}>
          <time className="muted small" dateTime={e.createdAt}>
            {formatDateTime(e.createdAt)}
          </time>
          <strong>{LABELS[e.type] ?? e.type.replace(/_/g, ' ')}</strong>
          <span className="muted">by {e.actor.name ?? e.actor.type}</span>
          <span className="history-data">{describe(e.data)}</span>
        </li>
      ))}
    </ol>
  );
}
