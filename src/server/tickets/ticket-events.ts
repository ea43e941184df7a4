import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

/** One entry of a ticket's history: status and assignment changes, escalations, SLA transitions. */
export interface TicketEvent {
  ticketId: number;
  type: string;
  actorType: 'staff' | 'device' | 'system';
  actorId: string | number | null;
  data?: Record<string, unknown>;
  at: number;
}

/** Appends events to ticket history (inside the caller's transaction when given one). */
export async function recordTicketEvents(
  db: Kysely<Database> | Transaction<Database>,
  events: readonly TicketEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('ticket_events')
    .values(
      events.map((e) => ({
        ticket_id: e.ticketId,
        type: e.type,
        actor_type: e.actorType,
        actor_id: e.actorId === null ? null : String(e.actorId),
        data: JSON.stringify(e.data ?? {}),
        created_at: e.at,
      })),
    )
    .execute();
}
