import {
  expressionBuilder,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { Db } from '../db/database';
import type { Database, DevicesTable } from '../db/schema';
import { precompile } from '../snapshots/precompiled-query';

/* The devices table (with each device's open-ticket count, read from tickets). */

const OPEN_STATUSES = ['new', 'open', 'pending'] as const;

export type DeviceTokenRow = Pick<
  Selectable<DevicesTable>,
  'id' | 'hostname' | 'os_platform' | 'groups' | 'machine_id' | 'last_seen_at' | 'token_revoked_at'
>;

// Every device request starts with this lookup: compiled once (and prepared by name on PostgreSQL).
const deviceByTokenQuery = precompile<{ tokenHash: string }, DeviceTokenRow>(['tokenHash'], (db, v) =>
  db
    .selectFrom('devices')
    .select(['id', 'hostname', 'os_platform', 'groups', 'machine_id', 'last_seen_at', 'token_revoked_at'])
    .where('token_hash', '=', v.tokenHash),
);

/** The device whose token has this hash (revoked or not), by the precompiled statement. */
export async function selectDeviceByTokenHash(db: Db, tokenHash: string): Promise<DeviceTokenRow | undefined> {
  return (await deviceByTokenQuery.execute(db, db.kysely, { tokenHash })).rows[0];
}

export async function touchDevice(db: Kysely<Database>, id: string, at: number): Promise<void> {
  await db.updateTable('devices').set({ last_seen_at: at }).where('id', '=', id).execute();
}

/**
 * Devices online (or, `online` false, offline) at the instant whose `onlineSince` (src/shared/presence.ts)
 * is given: seen since then, and their live channel not closed after that sighting. One expression for
 * every list that filters or counts by it (devices, queue, fleet); `devices` must be in scope.
 */
export function onlineWhere(since: number, online = true): Expression<SqlBool> {
  const eb = expressionBuilder<Database, 'devices'>();
  const seen = eb('devices.last_seen_at', '>=', since);
  const stayed = eb.or([eb('devices.left_at', 'is', null), eb('devices.left_at', '<', eb.ref('devices.last_seen_at'))]);
  return online ? eb.and([seen, stayed]) : eb.not(eb.and([seen, stayed]));
}

/** Marks many devices arrived at `at` (their live channel said hello): seen then, and no longer gone. */
export async function markDevicesArrived(db: Kysely<Database>, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('devices').set({ last_seen_at: at, left_at: null }).where('id', 'in', ids).execute();
}

/**
 * Marks many devices gone at `at` (their live channel closed): seen then, and left then, so they are
 * offline until seen again. One statement for a batch.
 */
export async function markDevicesLeft(db: Kysely<Database>, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('devices').set({ last_seen_at: at, left_at: at }).where('id', 'in', ids).execute();
}

/** Marks many devices seen at once: one statement for a batch (the live channel's heartbeats). */
export async function touchDevices(db: Kysely<Database>, ids: readonly string[], at: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('devices')
    .set({ last_seen_at: at })
    .where('id', 'in', ids)
    .where('last_seen_at', '<', at)
    .execute();
}

export interface DeviceFilters {
  /** Part of the hostname, any case. */
  q?: string;
  health?: DevicesTable['health_status'];
  os?: string;
  /** Seen since this instant (online), or not (offline). */
  seen?: { since: number; online: boolean };
}

/** LIKE pattern matching `text` anywhere, with the wildcards in it taken literally (escape '!'). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
}

const filtersOf = (filters: DeviceFilters) => (eb: ExpressionBuilder<Database, 'devices'>) =>
  eb.and([
    ...(filters.q ? [sql<boolean>`lower(hostname) like ${containsPattern(filters.q)} escape '!'`] : []),
    ...(filters.health ? [eb('health_status', '=', filters.health)] : []),
    ...(filters.os ? [eb('os_platform', '=', filters.os)] : []),
    ...(filters.seen ? [onlineWhere(filters.seen.since, filters.seen.online)] : []),
  ]);

/** Devices with their open-ticket count, for the list and the detail page. */
const selectDevices = (db: Kysely<Database>) =>
  db
    .selectFrom('devices')
    .select([
      'id',
      'hostname',
      'os_platform',
      'os_name',
      'os_version',
      'agent_version',
      'last_seen_at',
      'left_at',
      'health_status',
      'last_snapshot_id',
      'token_revoked_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('tickets')
        .select((t) => t.fn.countAll<number>().as('n'))
        .whereRef('tickets.device_id', '=', 'devices.id')
        .where('tickets.status', 'in', OPEN_STATUSES)
        .as('open_tickets'),
    );

export type DeviceListRow = Awaited<ReturnType<ReturnType<typeof selectDevices>['executeTakeFirstOrThrow']>>;

/** One page of devices matching the filters, by hostname (any case, code-point order), then id. */
export async function selectDevicePage(
  db: Kysely<Database>,
  dialect: Db['dialect'],
  filters: DeviceFilters,
  page: { limit: number; offset: number },
): Promise<DeviceListRow[]> {
  // Case-insensitive, in code-point order: PostgreSQL's locale collation would otherwise order differently from SQLite.
  const hostnameOrder = dialect === 'postgres' ? sql`lower(hostname) collate "C"` : sql`lower(hostname)`;
  return selectDevices(db)
    .where(filtersOf(filters))
    .orderBy(hostnameOrder)
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many devices match the filters. */
export async function countDevices(db: Kysely<Database>, filters: DeviceFilters): Promise<number> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(filtersOf(filters))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One device with what its page shows besides the list's columns. */
export async function selectDeviceDetail(db: Kysely<Database>, id: string) {
  return selectDevices(db).select(['machine_id', 'groups', 'enrolled_at']).where('id', '=', id).executeTakeFirst();
}

export async function deviceExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst());
}

/**
 * A heartbeat: seen now, with its agent version. Its health summary stands in for the device's health
 * only until a first snapshot arrives; after that the latest snapshot's findings are the device's health.
 */
export async function updateDeviceHeartbeat(
  db: Kysely<Database>,
  id: string,
  beat: { at: number; agentVersion: string; healthStatus: DevicesTable['health_status']; healthSummary: string },
): Promise<void> {
  const beforeFirstSnapshot = (eb: ExpressionBuilder<Database, 'devices'>) =>
    eb.case().when('last_snapshot_id', 'is', null);
  await db
    .updateTable('devices')
    .set((eb) => ({
      last_seen_at: beat.at,
      agent_version: beat.agentVersion,
      health_status: beforeFirstSnapshot(eb).then(eb.val(beat.healthStatus)).else(eb.ref('health_status')).end(),
      health_summary: beforeFirstSnapshot(eb).then(eb.val(beat.healthSummary)).else(eb.ref('health_summary')).end(),
    }))
    .where('id', '=', id)
    .execute();
}

/** Revokes a device's token; false when there is no such device. */
export async function revokeDeviceToken(db: Kysely<Database>, id: string, at: number): Promise<boolean> {
  const result = await db.updateTable('devices').set({ token_revoked_at: at }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The columns an enrollment sets, on a new device and on a re-enrolled one alike. */
export type EnrollmentValues = Pick<
  Insertable<DevicesTable>,
  | 'hostname'
  | 'os_platform'
  | 'os_name'
  | 'os_version'
  | 'agent_version'
  | 'groups'
  | 'token_hash'
  | 'token_revoked_at'
  | 'enroll_secret_id'
  | 'last_seen_at'
>;

/**
 * Inserts a device, or (same machine id) updates the enrollment columns of the existing one, keeping
 * its id and history. Returns the device id.
 */
export async function upsertDevice(
  db: Kysely<Database>,
  device: { id: string; machine_id: string; enrolled_at: number },
  values: EnrollmentValues,
): Promise<string> {
  const row = await db
    .insertInto('devices')
    .values({
      ...device,
      health_status: 'unknown',
      health_summary: '{}',
      last_snapshot_id: null,
      ...values,
    })
    .onConflict((oc) => oc.column('machine_id').doUpdateSet(values))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
