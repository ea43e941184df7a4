import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { RemoteStatus } from '../../shared/remote/remote-limits';
import type { Database, RemoteSessionsTable } from '../db/schema';

/* The remote_sessions table: remote-control sessions from request to end. */

type Executor = Kysely<Database> | Transaction<Database>;

export type RemoteSessionRow = Selectable<RemoteSessionsTable>;
/** A session with its requester's name, as the API shows it. */
export type RemoteSessionListRow = RemoteSessionRow & { requester_name: string | null };

export async function insertRemoteSession(db: Executor, row: Insertable<RemoteSessionsTable>): Promise<void> {
  await db.insertInto('remote_sessions').values(row).execute();
}

function listQuery(db: Executor) {
  return db
    .selectFrom('remote_sessions')
    .leftJoin('staff_users', 'staff_users.id', 'remote_sessions.requested_by')
    .selectAll('remote_sessions')
    .select('staff_users.name as requester_name');
}

export function selectRemoteSession(db: Executor, id: string): Promise<RemoteSessionListRow | undefined> {
  return listQuery(db).where('remote_sessions.id', '=', id).executeTakeFirst();
}

export function selectDeviceRemoteSessions(
  db: Executor,
  deviceId: string,
  limit: number,
): Promise<RemoteSessionListRow[]> {
  return listQuery(db)
    .where('remote_sessions.device_id', '=', deviceId)
    .orderBy('remote_sessions.requested_at', 'desc')
    .limit(limit)
    .execute();
}

/** The device's requests not yet answered and not expired (sent again when it says hello). */
export function selectPendingRemoteRequests(db: Executor, deviceId: string, now: number): Promise<RemoteSessionRow[]> {
  return db
    .selectFrom('remote_sessions')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('status', '=', 'requested')
    .where('expires_at', '>', now)
    .orderBy('requested_at')
    .execute();
}

/** The ids of a device's screen shares in one of `statuses`, oldest first. */
export async function selectOpenShareSessionIds(
  db: Executor,
  deviceId: string,
  statuses: readonly RemoteStatus[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('remote_sessions')
    .select('id')
    .where('device_id', '=', deviceId)
    .where('kind', '=', 'share')
    .where('status', 'in', [...statuses])
    .orderBy('requested_at')
    .execute();
  return rows.map((r) => r.id);
}

/** How many sessions a technician requested since `since` (the per-technician rate limit). */
export async function countRemoteRequestsSince(db: Executor, staffId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('remote_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('requested_by', '=', staffId)
    .where('requested_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Moves a session from one of `from` to what `set` says, in one conditional UPDATE (two processes, or a
 * device's answer racing a technician's stop, cannot both move it); the moved row, or null.
 */
export async function transitionRemoteSession(
  db: Executor,
  id: string,
  from: readonly RemoteStatus[],
  set: Updateable<RemoteSessionsTable>,
  extra: { notExpiredAt?: number; deviceJoined?: false; consoleJoined?: false } = {},
): Promise<RemoteSessionRow | null> {
  let query = db
    .updateTable('remote_sessions')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', [...from]);
  if (extra.notExpiredAt !== undefined) query = query.where('expires_at', '>', extra.notExpiredAt);
  if (extra.deviceJoined === false) query = query.where('device_joined_at', 'is', null);
  if (extra.consoleJoined === false) query = query.where('console_joined_at', 'is', null);
  const row = await query.returningAll().executeTakeFirst();
  return row ?? null;
}

/** What a session request needs to know of the device. */
export function selectDeviceForRemote(
  db: Executor,
  id: string,
): Promise<{ id: string; os_platform: string; token_revoked_at: number | null } | undefined> {
  return db
    .selectFrom('devices')
    .select(['id', 'os_platform', 'token_revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}
