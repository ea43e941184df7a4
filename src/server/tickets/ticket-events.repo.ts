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
  await ticketEventsInsert(db, events).execute();
}

/** The INSERT of one or more events (a statement to run later, or to run now as recordTicketEvents does). */
export function ticketEventsInsert(db: Kysely<Database> | Transaction<Database>, events: readonly TicketEvent[]) {
  return db.insertInto('ticket_events').values(
    events.map((e) => ({
      ticket_id: e.ticketId,
      type: e.type,
      actor_type: e.actorType,
      actor_id: e.actorId === null ? null : String(e.actorId),
      data: JSON.stringify(e.data ?? {}),
      created_at: e.at,
    })),
  );
}

/** A ticket's history after a cursor, oldest first, at most `limit` rows. */
export function listTicketEventRows(db: Kysely<Database>, ticketId: number, after: number, limit: number) {
  return db
    .selectFrom('ticket_events')
    .select(['id', 'type', 'actor_type', 'actor_id', 'data', 'created_at'])
    .where('ticket_id', '=', ticketId)
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Names of staff members by id, for showing who acted (reads staff_users, the auth domain's table). */
export function listStaffNames(db: Kysely<Database>, ids: readonly number[]) {
  return db.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', ids).execute();
}

/** Hostnames of devices by id, for showing who acted (reads devices, the devices domain's table). */
export function listDeviceHostnames(db: Kysely<Database>, ids: readonly string[]) {
  return db.selectFrom('devices').select(['id', 'hostname']).where('id', 'in', ids).execute();
}
