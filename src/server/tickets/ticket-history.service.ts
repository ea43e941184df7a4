import type { TicketEventDto } from '../../shared/api/sla';
import type { Db } from '../db/database';
import { parseJsonObject } from '../db/json-columns';
import { iso, ticketNotFound } from './ticket-dto';
import { listDeviceHostnames, listStaffNames, listTicketEventRows } from './ticket-events.repo';
import { ticketExists } from './tickets.repo';

/** A ticket's history after a cursor, oldest first, with staff names and device hostnames resolved. */
export async function listTicketEvents(
  db: Db,
  ticketId: number,
  after: number,
  limit: number,
): Promise<{ events: TicketEventDto[]; nextCursor: number | null }> {
  if (!(await ticketExists(db.kysely, ticketId))) throw ticketNotFound();
  const rows = await listTicketEventRows(db.kysely, ticketId, after, limit + 1);
  const page = rows.slice(0, limit);
  const staffIds = [
    ...new Set(
      page
        .filter((r) => r.actor_type === 'staff')
        .map((r) => Number(r.actor_id))
        .filter(Number.isSafeInteger),
    ),
  ];
  const deviceIds = [
    ...new Set(page.filter((r) => r.actor_type === 'device' && r.actor_id !== null).map((r) => String(r.actor_id))),
  ];
  const names = new Map<string, string>();
  if (staffIds.length > 0) {
    for (const s of await listStaffNames(db.kysely, staffIds)) names.set(`staff:${s.id}`, s.name);
  }
  if (deviceIds.length > 0) {
    for (const d of await listDeviceHostnames(db.kysely, deviceIds)) names.set(`device:${d.id}`, d.hostname);
  }
  const events = page.map((r) => ({
    id: r.id,
    type: r.type,
    actor: { type: r.actor_type, id: r.actor_id, name: names.get(`${r.actor_type}:${r.actor_id}`) ?? null },
    data: parseJsonObject(r.data),
    createdAt: iso(r.created_at),
  }));
  return { events, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
