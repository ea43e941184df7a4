import type { InferResult, Kysely, Transaction } from 'kysely';
import type { Dialect } from '../db/database';
import type { Database } from '../db/schema';
import type { StatementProgram } from '../db/statement-program';
import type { FindingRow, SoftwareRow } from './inventory';

/* The fleet index's writes: device_inventory, device_software and device_findings. */

type Executor = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: 5 parameters each stays well under both databases' parameter limits. */
const CHUNK = 1000;

/** A device's latest snapshot id beside the snapshot its index rows come from (a statement; locked on PostgreSQL). */
export function inventoryStateQuery(db: Executor, dialect: Dialect, deviceId: string, lock: boolean) {
  return db
    .selectFrom('devices')
    .leftJoin('device_inventory', 'device_inventory.device_id', 'devices.id')
    .select([
      'devices.last_snapshot_id',
      'device_inventory.snapshot_id',
      'device_inventory.software_hash',
      'device_inventory.findings_hash',
    ])
    .where('devices.id', '=', deviceId)
    .$if(lock && dialect === 'postgres', (qb) => qb.forUpdate('devices'));
}

/** What a device's index state is, as inventoryStateQuery reads it. */
export type InventoryStateRow = InferResult<ReturnType<typeof inventoryStateQuery>>[number];

/** What indexing a stored snapshot needs: its gzipped document and the findings evaluated when it was stored. */
export async function selectSnapshotForIndex(db: Executor, snapshotId: number) {
  return db.selectFrom('snapshots').select(['data', 'findings']).where('id', '=', snapshotId).executeTakeFirst();
}

/** The statements that replace a device's indexed packages. */
export function* replaceDeviceSoftware(
  db: Executor,
  deviceId: string,
  rows: readonly SoftwareRow[],
): StatementProgram<void> {
  yield db.deleteFrom('device_software').where('device_id', '=', deviceId).compile();
  for (let i = 0; i < rows.length; i += CHUNK) {
    yield db
      .insertInto('device_software')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          device_id: deviceId,
          name: r.name,
          name_lower: r.nameLower,
          version: r.version,
          source: r.source,
        })),
      )
      .compile();
  }
}

/** The statements that replace a device's indexed findings. */
export function* replaceDeviceFindings(
  db: Executor,
  deviceId: string,
  rows: readonly FindingRow[],
): StatementProgram<void> {
  yield db.deleteFrom('device_findings').where('device_id', '=', deviceId).compile();
  if (rows.length === 0) return;
  yield db
    .insertInto('device_findings')
    .values(rows.map((r) => ({ device_id: deviceId, code: r.code, severity: r.severity })))
    .compile();
}

/** Records which snapshot a device's index rows now come from (a statement). */
export function upsertInventoryState(
  db: Executor,
  row: { deviceId: string; snapshotId: number; softwareHash: string; findingsHash: string },
) {
  const values = { snapshot_id: row.snapshotId, software_hash: row.softwareHash, findings_hash: row.findingsHash };
  return db
    .insertInto('device_inventory')
    .values({ device_id: row.deviceId, ...values })
    .onConflict((oc) => oc.column('device_id').doUpdateSet(values))
    .compile();
}

/** Devices whose latest snapshot is not (or not yet) the one their index rows come from, a batch at a time. */
export async function selectDevicesToIndex(db: Executor, after: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('devices')
    .leftJoin('device_inventory', 'device_inventory.device_id', 'devices.id')
    .select('devices.id')
    .where('devices.id', '>', after)
    .where('devices.last_snapshot_id', 'is not', null)
    .where((eb) =>
      eb.or([
        eb('device_inventory.snapshot_id', 'is', null),
        eb('device_inventory.snapshot_id', '!=', eb.ref('devices.last_snapshot_id')),
      ]),
    )
    .orderBy('devices.id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
