import { Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db/database';
import type { Database, TicketsTable } from '../db/schema';

/*
 * The tickets table: a ticket as staff see it (with the device's hostname and the assignee's name),
 * as its device sees it, the rows a change locks, and the ticket a submission's key points to.
 * Functions take the root Kysely or a transaction of it first.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The base query for tickets as staff see them: every ticket column plus the device's hostname and
 * the assignee's name. Add where/orderBy/limit; pass a transaction to read inside one.
 */
export function selectTickets(db: Db | Kysely<Database>) {
  return (db instanceof Kysely ? db : db.kysely)
    .selectFrom('tickets')
    .leftJoin('devices', 'devices.id', 'tickets.device_id')
    .leftJoin('staff_users', 'staff_users.id', 'tickets.assignee_id')
    .select([
      'tickets.id',
      'tickets.device_id',
      'tickets.requester_name',
      'tickets.requester_email',
      'tickets.subject',
      'tickets.description',
      'tickets.category',
      'tickets.urgency',
      'tickets.impact',
      'tickets.priority',
      'tickets.status',
      'tickets.assignee_id',
      'tickets.group_name',
      'tickets.snapshot_id',
      'tickets.finding_codes',
      'tickets.created_at',
      'tickets.updated_at',
      'tickets.first_response_at',
      'tickets.resolved_at',
      'tickets.closed_at',
      'tickets.sla_policy_id',
      'tickets.first_response_due_at',
      'tickets.resolution_due_at',
      'tickets.sla_state',
      'tickets.escalation_level',
      'tickets.satisfaction',
      'tickets.satisfaction_comment',
      'tickets.last_message_at',
      'devices.hostname as device_hostname',
      'staff_users.name as assignee_name',
    ]);
}

/** A row of selectTickets. */
export type TicketRow = Awaited<ReturnType<ReturnType<typeof selectTickets>['executeTakeFirstOrThrow']>>;

/** One ticket as staff see it, or undefined. */
export function findTicketRow(db: Db | Kysely<Database>, id: number): Promise<TicketRow | undefined> {
  return selectTickets(db).where('tickets.id', '=', id).executeTakeFirst();
}

/** The ticket columns behind a device's view, plus what the lifecycle rules look at. */
export type DeviceTicketRow = Pick<
  Selectable<TicketsTable>,
  | 'id'
  | 'device_id'
  | 'subject'
  | 'description'
  | 'category'
  | 'urgency'
  | 'priority'
  | 'status'
  | 'created_at'
  | 'updated_at'
  | 'resolved_at'
  | 'closed_at'
  | 'last_message_at'
  | 'satisfaction'
  | 'last_staff_message_id'
  | 'snapshot_id'
> & { assignee_name: string | null };

const DEVICE_COLUMNS = [
  'tickets.id',
  'tickets.device_id',
  'tickets.subject',
  'tickets.description',
  'tickets.category',
  'tickets.urgency',
  'tickets.priority',
  'tickets.status',
  'tickets.created_at',
  'tickets.updated_at',
  'tickets.resolved_at',
  'tickets.closed_at',
  'tickets.last_message_at',
  'tickets.satisfaction',
  'tickets.last_staff_message_id',
  'tickets.snapshot_id',
  'staff_users.name as assignee_name',
] as const;

/** Tickets joined with their assignee's name, ready for toDeviceTicketDto. */
function selectDeviceTickets(db: Executor) {
  return db
    .selectFrom('tickets')
    .leftJoin('staff_users', 'staff_users.id', 'tickets.assignee_id')
    .select(DEVICE_COLUMNS);
}

/** A device's newest tickets, newest first. */
export function listDeviceTicketRows(db: Executor, deviceId: string, limit: number): Promise<DeviceTicketRow[]> {
  return selectDeviceTickets(db)
    .where('tickets.device_id', '=', deviceId)
    .orderBy('tickets.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * One of the device's own tickets, or undefined for any other. `lock`: FOR UPDATE of the ticket row
 * (PostgreSQL; SQLite transactions are serialized).
 */
export function findDeviceTicketRow(
  db: Executor,
  deviceId: string,
  ticketId: number,
  lock = false,
): Promise<DeviceTicketRow | undefined> {
  return selectDeviceTickets(db)
    .where('tickets.id', '=', ticketId)
    .where('tickets.device_id', '=', deviceId)
    .$if(lock, (qb) => qb.forUpdate('tickets'))
    .executeTakeFirst();
}

/** The ticket an Idempotency-Key of the device points to, as its device sees it, with the key's request hash. */
export function findTicketOfKey(
  db: Executor,
  deviceId: string,
  key: string,
): Promise<(DeviceTicketRow & { request_hash: string }) | undefined> {
  return selectDeviceTickets(db)
    .innerJoin('idempotency_keys', 'idempotency_keys.ticket_id', 'tickets.id')
    .select('idempotency_keys.request_hash')
    .where('idempotency_keys.device_id', '=', deviceId)
    .where('idempotency_keys.key', '=', key)
    .executeTakeFirst();
}

/** Whose ticket it is (device_id null for a ticket without a device), or undefined when there is none. */
export function findTicketOwner(
  db: Executor,
  ticketId: number,
): Promise<{ id: number; device_id: string | null } | undefined> {
  return db.selectFrom('tickets').select(['id', 'device_id']).where('id', '=', ticketId).executeTakeFirst();
}

/** True when the ticket exists. */
export async function ticketExists(db: Executor, ticketId: number): Promise<boolean> {
  return (await db.selectFrom('tickets').select('id').where('id', '=', ticketId).executeTakeFirst()) !== undefined;
}

/** The device a ticket came from (null for a ticket filed by staff or email, or none). */
export async function deviceOfTicket(db: Executor, ticketId: number): Promise<string | null> {
  const row = await db.selectFrom('tickets').select('device_id').where('id', '=', ticketId).executeTakeFirst();
  return row?.device_id ?? null;
}

/** The devices of these tickets (those that have one), by ticket id. */
export async function devicesOfTickets(db: Executor, ticketIds: readonly number[]): Promise<Map<number, string>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('tickets')
    .select(['id', 'device_id'])
    .where('id', 'in', ticketIds)
    .where('device_id', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, r.device_id!]));
}

/** The ids of a device's tickets. */
export async function ticketIdsOfDevice(db: Executor, deviceId: string): Promise<number[]> {
  return (await db.selectFrom('tickets').select('id').where('device_id', '=', deviceId).execute()).map((t) => t.id);
}

/**
 * What a new message looks at, with the row locked when `lock` (FOR UPDATE: two replies at once
 * must not both think they are the first response).
 */
export function findTicketForReply(trx: Executor, ticketId: number, lock: boolean) {
  return trx
    .selectFrom('tickets')
    .select(['id', 'device_id', 'status', 'requester_name', 'first_response_at'])
    .where('id', '=', ticketId)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** The whole ticket row, locked when `lock` (FOR UPDATE on PostgreSQL; SQLite transactions are serialized). */
export function findTicketForUpdate(
  trx: Executor,
  ticketId: number,
  lock: boolean,
): Promise<Selectable<TicketsTable> | undefined> {
  return trx
    .selectFrom('tickets')
    .selectAll()
    .where('id', '=', ticketId)
    .$if(lock, (qb) => qb.forUpdate())
    .executeTakeFirst();
}

/** Writes changed columns of one ticket. */
export async function updateTicketRow(db: Executor, ticketId: number, set: Updateable<TicketsTable>): Promise<void> {
  await db.updateTable('tickets').set(set).where('id', '=', ticketId).execute();
}

/** True when an active staff member has this id (reads staff_users, the auth domain's table). */
export async function activeStaffExists(db: Executor, staffId: number): Promise<boolean> {
  const user = await db
    .selectFrom('staff_users')
    .select('id')
    .where('id', '=', staffId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return user !== undefined;
}

/** Deletes the Idempotency-Keys recorded before `before`; returns how many. */
export async function deleteIdempotencyKeysBefore(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
