import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/* What webhook payloads say about tickets: the ticket with its device and assignee, message bodies, names. */

export interface TicketFacts {
  id: number;
  subject: string;
  description: string;
  priority: string;
  status: string;
  category: string;
  requester_name: string | null;
  device_id: string | null;
  hostname: string | null;
  assignee_id: number | null;
  assignee_name: string | null;
}

export async function selectTicketFacts(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, TicketFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('tickets')
    .leftJoin('devices', 'devices.id', 'tickets.device_id')
    .leftJoin('staff_users', 'staff_users.id', 'tickets.assignee_id')
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.description',
      'tickets.priority',
      'tickets.status',
      'tickets.category',
      'tickets.requester_name',
      'tickets.device_id',
      'devices.hostname',
      'tickets.assignee_id',
      'staff_users.name as assignee_name',
    ])
    .where('tickets.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function selectMessagesById(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Map<number, { author_type: string; author_name: string | null; body: string; internal: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'author_type', 'author_name', 'body', 'internal'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
