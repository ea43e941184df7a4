import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { CommandStatus } from '../../shared/actions/command-status';
import type { Database, DeviceCommandsTable } from '../db/schema';

/* The device_commands table: remote commands from request to result. */

type Executor = Kysely<Database> | Transaction<Database>;

export type CommandRow = Selectable<DeviceCommandsTable>;
/** A command with its requester's name, as the lists show it. */
export type CommandListRow = CommandRow & { requester_name: string | null };

export async function insertCommand(db: Executor, row: Insertable<DeviceCommandsTable>): Promise<void> {
  await db.insertInto('device_commands').values(row).execute();
}

/** How many commands a technician requested since `since` (the per-technician rate limit). */
export async function countCommandsRequestedSince(db: Executor, staffId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('device_commands')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('requested_by', '=', staffId)
    .where('issued_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The earliest of a technician's requests since `since` (when the rate window frees a slot). */
export async function firstCommandRequestedSince(db: Executor, staffId: number, since: number): Promise<number | null> {
  const row = await db
    .selectFrom('device_commands')
    .select((eb) => eb.fn.min('issued_at').as('first'))
    .where('requested_by', '=', staffId)
    .where('issued_at', '>', since)
    .executeTakeFirst();
  return row?.first === null || row?.first === undefined ? null : Number(row.first);
}

function listQuery(db: Executor) {
  return db
    .selectFrom('device_commands')
    .leftJoin('staff_users', 'staff_users.id', 'device_commands.requested_by')
    .selectAll('device_commands')
    .select('staff_users.name as requester_name');
}

export function selectCommand(db: Executor, id: string): Promise<CommandListRow | undefined> {
  return listQuery(db).where('device_commands.id', '=', id).executeTakeFirst();
}

/** A ticket's or a device's commands, newest first. */
function selectCommandsWhere(
  db: Executor,
  column: 'device_commands.ticket_id' | 'device_commands.device_id',
  value: number | string,
  limit: number,
): Promise<CommandListRow[]> {
  return listQuery(db)
    .where(column, '=', value)
    .orderBy('device_commands.issued_at', 'desc')
    .orderBy('device_commands.id', 'desc')
    .limit(limit)
    .execute();
}

export function selectCommandsOfTicket(db: Executor, ticketId: number, limit: number): Promise<CommandListRow[]> {
  return selectCommandsWhere(db, 'device_commands.ticket_id', ticketId, limit);
}

export function selectCommandsOfDevice(db: Executor, deviceId: string, limit: number): Promise<CommandListRow[]> {
  return selectCommandsWhere(db, 'device_commands.device_id', deviceId, limit);
}

/**
 * The device's unexpired commands in `statuses` (queued ones to take, and on a new connection those
 * delivered earlier that it never answered), oldest first.
 */
export function selectCommandsToSend(
  db: Executor,
  deviceId: string,
  now: number,
  statuses: readonly CommandStatus[],
): Promise<CommandRow[]> {
  return db
    .selectFrom('device_commands')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('status', 'in', [...statuses])
    .where('expires_at', '>', now)
    .orderBy('issued_at')
    .orderBy('id')
    .execute();
}

/** Commands in `status` whose expiry is at or before `before` (the expiry job's later checks), oldest first. */
export function selectCommandsExpiredBefore(
  db: Executor,
  status: CommandStatus,
  before: number,
): Promise<CommandRow[]> {
  return db
    .selectFrom('device_commands')
    .selectAll()
    .where('status', '=', status)
    .where('expires_at', '<=', before)
    .orderBy('expires_at')
    .execute();
}

/**
 * Moves a command to a new status if it is in one of `from` (and, when given, belongs to the device);
 * answers the updated row, or undefined when it was not there or not in such a status. The condition is
 * in the UPDATE itself, so two processes (or a result racing the expiry job) cannot both move it.
 */
export function transitionCommand(
  db: Executor,
  id: string,
  from: readonly CommandStatus[],
  set: Updateable<DeviceCommandsTable> & { status: CommandStatus; updated_at: number },
  deviceId?: string,
): Promise<CommandRow | undefined> {
  return db
    .updateTable('device_commands')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .$if(deviceId !== undefined, (q) => q.where('device_id', '=', deviceId!))
    .returningAll()
    .executeTakeFirst();
}

/** Appends progress output to a running command of the device, keeping at most `cap` characters; false when not running. */
export async function appendCommandOutput(
  db: Executor,
  id: string,
  deviceId: string,
  chunk: string,
  cap: number,
  at: number,
): Promise<CommandRow | undefined> {
  return db
    .updateTable('device_commands')
    .set({
      output: sql<string>`substr(coalesce(output, '') || ${chunk}, 1, ${cap})`,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('device_id', '=', deviceId)
    .where('status', '=', 'running')
    .returningAll()
    .executeTakeFirst();
}

/** Marks every queued or delivered command past its expiry as expired; answers those it moved (the job's first check). */
export function expireCommands(db: Executor, now: number): Promise<CommandRow[]> {
  return db
    .updateTable('device_commands')
    .set({ status: 'expired', updated_at: now })
    .where('status', 'in', ['queued', 'delivered'])
    .where('expires_at', '<=', now)
    .returningAll()
    .execute();
}

/** The ticket's device with what a request checks: platform and whether its token was revoked. */
export function selectTicketDevice(
  db: Executor,
  ticketId: number,
): Promise<
  | {
      ticket_id: number;
      status: string;
      device_id: string | null;
      os_platform: string | null;
      token_revoked_at: number | null;
    }
  | undefined
> {
  return db
    .selectFrom('tickets')
    .leftJoin('devices', 'devices.id', 'tickets.device_id')
    .select([
      'tickets.id as ticket_id',
      'tickets.status',
      'tickets.device_id',
      'devices.os_platform',
      'devices.token_revoked_at',
    ])
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
}
