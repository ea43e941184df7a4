import { Kysely, type Selectable, type Transaction } from 'kysely';
import { z } from 'zod';
import { cursorSchema, type DeviceTicketDto, type TicketDto } from '../../shared/api/tickets';
import type { Db } from '../db/database';
import type { Database, TicketsTable } from '../db/schema';
import { notFound } from '../errors';
import { parseFindingCodes } from '../db/json-columns';

/*
 * Tickets as the API shows them: the staff view (every field, with the device's hostname and the
 * assignee's name) and the device view (no internal fields).
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** `:id` of a ticket or attachment: a positive safe integer, so 'abc', -1 and 1e20 are 400s, never SQL errors. */
export const idParamsSchema = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** `?after=` message cursor. */
export const afterQuerySchema = z.object({ after: cursorSchema.default(0) });

/** 404 for a ticket that does not exist or is not the caller's: the same answer, so existence never leaks. */
export const ticketNotFound = () => notFound('Ticket', 'ticket_not_found');

/** Epoch milliseconds as ISO 8601; null stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

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

/** A selectTickets row as the staff API shows it (ticketSchema). */
export function toTicketDto(row: TicketRow): TicketDto {
  return {
    ...sharedTicketFields(row),
    impact: row.impact,
    requester: { name: row.requester_name, email: row.requester_email },
    // A ticket outlives a deleted device (device_id set null); a dangling id without a row shows as none.
    device:
      row.device_id !== null && row.device_hostname !== null
        ? { id: row.device_id, hostname: row.device_hostname }
        : null,
    assignee:
      row.assignee_id !== null && row.assignee_name !== null ? { id: row.assignee_id, name: row.assignee_name } : null,
    group: row.group_name,
    snapshotId: row.snapshot_id,
    findingCodes: parseFindingCodes(row.finding_codes),
    firstResponseAt: iso(row.first_response_at),
    closedAt: iso(row.closed_at),
    sla: {
      policyId: row.sla_policy_id,
      firstResponseDueAt: iso(row.first_response_due_at),
      resolutionDueAt: iso(row.resolution_due_at),
      state: row.sla_state,
    },
    escalationLevel: row.escalation_level,
    satisfactionComment: row.satisfaction_comment,
  };
}

/** One ticket as staff see it, or undefined. */
export async function findTicketDto(db: Db | Kysely<Database>, id: number): Promise<TicketDto | undefined> {
  const row = await selectTickets(db).where('tickets.id', '=', id).executeTakeFirst();
  return row ? toTicketDto(row) : undefined;
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
export function selectDeviceTickets(db: Executor) {
  return db
    .selectFrom('tickets')
    .leftJoin('staff_users', 'staff_users.id', 'tickets.assignee_id')
    .select(DEVICE_COLUMNS);
}

/** One of the device's own tickets; 404 ticket_not_found for any other. */
export async function findDeviceTicket(db: Executor, deviceId: string, ticketId: number): Promise<DeviceTicketRow> {
  const row = await selectDeviceTickets(db)
    .where('tickets.id', '=', ticketId)
    .where('tickets.device_id', '=', deviceId)
    .executeTakeFirst();
  if (!row) throw ticketNotFound();
  return row;
}

/** A ticket as its device sees it: no internal fields. */
export function toDeviceTicketDto(row: DeviceTicketRow): DeviceTicketDto {
  return {
    ...sharedTicketFields(row),
    assigneeName: row.assignee_name,
    lastStaffMessageId: row.last_staff_message_id,
  };
}

/** The fields both views show, mapped the same way for staff and device. */
function sharedTicketFields(row: Omit<DeviceTicketRow, 'last_staff_message_id' | 'assignee_name'>) {
  return {
    id: row.id,
    subject: row.subject,
    description: row.description,
    category: row.category,
    urgency: row.urgency,
    priority: row.priority,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    resolvedAt: iso(row.resolved_at),
    lastMessageAt: iso(row.last_message_at),
    satisfaction: row.satisfaction,
  };
}
