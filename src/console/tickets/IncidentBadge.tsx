import type { ReactElement } from 'react';
import { useTicketIncident } from '../api/netmon-alerts.queries';

/*
 * A ticket's network incident (issue 14): on the incident's own ticket, its state and affected devices; on a
 * ticket filed or open during it, the link. Nothing when the ticket has none.
 */
export function IncidentBadge({ ticketId }: { ticketId: number }): ReactElement | null {
  const loaded = useTicketIncident(ticketId);
  const found = loaded.data;
  if (!found?.incident) return null;
  const i = found.incident;
  const firing = i.state === 'firing';
  return (
    <aside className="card stack" aria-label="Network incident">
      <div>
        <span className={`badge ${firing ? 'badge-danger' : 'badge-success'}`}>
          {firing ? 'Network incident · firing' : 'Network incident · resolved'}
        </span>{' '}
        <strong>{i.ruleName}</strong> — {i.scopeName}
      </div>
      <div className="muted">
        {found.role === 'incident'
          ? `${i.affected.length} affected device(s): ${i.affected.map((d) => d.hostname ?? d.deviceId).join(', ')}; ${i.linkedTickets.length} linked ticket(s)`
          : 'Linked to a known network problem.'}
        {found.role === 'linked' && i.ticketId !== null ? (
          <>
            {' '}
            <a href={`/tickets/${i.ticketId}`}>Incident ticket #{i.ticketId}</a>
          </>
        ) : null}
      </div>
      {i.resolution ? <div className="muted">Resolved: {i.resolution}</div> : null}
    </aside>
  );
}
