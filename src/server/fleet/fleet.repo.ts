import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../db/database';
import type { Database, DevicesTable } from '../db/schema';
import { onlineWhere } from '../devices/devices.repo';

/*
 * The fleet queries: devices (not revoked) by OS, health, finding and package, from the devices table
 * and the fleet index (device_findings, device_software; see fleet-index.service.ts).
 */

type DevicesEb = ExpressionBuilder<Database, 'devices'>;

const inFleet = (eb: DevicesEb) => eb('devices.token_revoked_at', 'is', null);

// Case-insensitive, in code-point order: PostgreSQL's locale collation would otherwise order differently from SQLite.
const hostnameOrder = (dialect: Dialect) =>
  dialect === 'postgres' ? sql`lower(devices.hostname) collate "C"` : sql`lower(devices.hostname)`;

const DEVICE_COLUMNS = [
  'devices.id',
  'devices.hostname',
  'devices.os_platform',
  'devices.os_name',
  'devices.os_version',
  'devices.health_status',
  'devices.last_seen_at',
  'devices.left_at',
] as const;

/** How many devices the fleet has, and how many were seen since `onlineSince`. */
export async function countFleet(
  db: Kysely<Database>,
  onlineSince: number,
): Promise<{ devices: number; online: number }> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => [
      eb.fn.countAll<number>().as('devices'),
      eb.fn.sum<number | null>(eb.case().when(onlineWhere(onlineSince)).then(1).else(0).end()).as('online'),
    ])
    .where(inFleet)
    .executeTakeFirstOrThrow();
  return { devices: Number(row.devices), online: Number(row.online ?? 0) };
}

/** Devices per OS platform, name and version, most first. */
export async function countDevicesByOs(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('devices')
    .select(['os_platform', 'os_name', 'os_version', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inFleet)
    .groupBy(['os_platform', 'os_name', 'os_version'])
    .orderBy('n', 'desc')
    .orderBy('os_name')
    .orderBy('os_version')
    .execute();
  return rows.map((r) => ({ platform: r.os_platform, name: r.os_name, version: r.os_version, devices: Number(r.n) }));
}

/** Devices per health status (only the statuses some device has). */
export async function countDevicesByHealth(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('devices')
    .select(['health_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inFleet)
    .groupBy('health_status')
    .execute();
  return rows.map((r) => ({ status: r.health_status, devices: Number(r.n) }));
}

/** Devices whose latest snapshot has each finding, most first. */
export async function countDevicesByFinding(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('device_findings')
    .innerJoin('devices', 'devices.id', 'device_findings.device_id')
    .select(['device_findings.code', (eb) => eb.fn.count<number>('device_findings.device_id').distinct().as('n')])
    .where(inFleet)
    .groupBy('device_findings.code')
    .orderBy('n', 'desc')
    .orderBy('device_findings.code')
    .execute();
  return rows.map((r) => ({ code: r.code, devices: Number(r.n) }));
}

/** What fleet device lists filter on; every one given must hold. */
export interface FleetDeviceFilters {
  platform?: string;
  /** OS name exactly as stored. */
  os?: string;
  osVersion?: string;
  finding?: string;
  health?: DevicesTable['health_status'];
  /** Seen since `onlineSince` (true) or not (false). */
  online?: boolean;
  onlineSince: number;
}

const fleetFilters = (f: FleetDeviceFilters) => (eb: DevicesEb) =>
  eb.and([
    inFleet(eb),
    ...(f.platform ? [eb('devices.os_platform', '=', f.platform)] : []),
    ...(f.os ? [eb('devices.os_name', '=', f.os)] : []),
    ...(f.osVersion ? [eb('devices.os_version', '=', f.osVersion)] : []),
    ...(f.health ? [eb('devices.health_status', '=', f.health)] : []),
    ...(f.online === undefined ? [] : [onlineWhere(f.onlineSince, f.online)]),
    ...(f.finding
      ? [
          eb.exists(
            eb
              .selectFrom('device_findings')
              .select('device_findings.device_id')
              .where('device_findings.code', '=', f.finding)
              .whereRef('device_findings.device_id', '=', 'devices.id'),
          ),
        ]
      : []),
  ]);

/** One page of the fleet's devices matching the filters, by hostname (any case), then id. */
export async function selectFleetDevicePage(
  db: Kysely<Database>,
  dialect: Dialect,
  filters: FleetDeviceFilters,
  page: { limit: number; offset: number },
) {
  return db
    .selectFrom('devices')
    .select(DEVICE_COLUMNS)
    .where(fleetFilters(filters))
    .orderBy(hostnameOrder(dialect))
    .orderBy('devices.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** How many of the fleet's devices match the filters. */
export async function countFleetDevices(db: Kysely<Database>, filters: FleetDeviceFilters): Promise<number> {
  const row = await db
    .selectFrom('devices')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(fleetFilters(filters))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every installed copy of a package (by lower-case name, through its index) on the fleet's devices, by hostname. */
export async function selectSoftwareByName(db: Kysely<Database>, dialect: Dialect, nameLower: string) {
  return db
    .selectFrom('device_software')
    .innerJoin('devices', 'devices.id', 'device_software.device_id')
    .select([...DEVICE_COLUMNS, 'device_software.name', 'device_software.version', 'device_software.source'])
    .where('device_software.name_lower', '=', nameLower)
    .where(inFleet)
    .orderBy(hostnameOrder(dialect))
    .orderBy('devices.id')
    .orderBy('device_software.source')
    .orderBy('device_software.version')
    .execute();
}

export type FleetDeviceRow = Awaited<ReturnType<typeof selectFleetDevicePage>>[number];
