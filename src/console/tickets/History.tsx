import type { ReactElement } from 'react';
import type { TicketEventDto } from '../../shared/api/sla';
import { api } from '../api/client';
import { LoadError } from '../components/Badges';
import { formatDateTime } from '../lib/time';
import { useApi } from '../lib/useApi';

const LABELS: Record<string, string> = {
  created: 'Ticket filed',
  status_changed: 'Status changed',
  assigned: 'Assignee changed',
  escalated: 'Escalated',
  priority_changed: 'Priority changed',
};

/** A readable one-liner of an event's data: "status: open → pending". */
function describe(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

/** The ticket's history (GET /tickets/:id/events), oldest first. */
export function History({ ticketId }: { ticketId: number }): ReactElement {
  const { state, reload } = useApi(`events-${ticketId}`, (signal) => api.get<{ events: TicketEventDto[] }>(`/api/v1/tickets/${ticketId}/events`, { limit: 1000 }, { signal }));
  if (state.status === 'loading') return <p className="muted">Loading history…</p>;
  if (state.status === 'error') return <LoadError message={state.error.message} onRetry={() => void reload()} />;
  return (
    <ol className="history card">
      {state.data.events.map((e) => (
        <li key={e.id}>
          <time className="muted small" dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
          <strong>{LABELS[e.type] ?? e.type.replace(/_/g, ' ')}</strong>
          <span className="muted">by {e.actor.name ?? e.actor.type}</span>
          <span className="history-data">{describe(e.data)}</span>
        </li>
      ))}
    </ol>
  );
}
