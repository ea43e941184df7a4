import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DeviceLocalActionsTable } from '../db/schema';

/* The device_local_actions table: Fix-it runs employees started on their own devices. */

type Executor = Kysely<Database> | Transaction<Database>;

export type LocalActionRow = Selectable<DeviceLocalActionsTable>;

/** Stores a run; false when a run with its id is already stored (a retry), which is left as it was. */
export async function insertLocalAction(db: Executor, row: Insertable<DeviceLocalActionsTable>): Promise<boolean> {
  const result = await db
    .insertInto('device_local_actions')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function selectLocalAction(db: Executor, id: string): Promise<LocalActionRow | undefined> {
  return db.selectFrom('device_local_actions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A device's runs, newest first. */
export function selectLocalActionsOfDevice(db: Executor, deviceId: string, limit: number): Promise<LocalActionRow[]> {
  return db
    .selectFrom('device_local_actions')
    .selectAll()
    .where('device_id', '=', deviceId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
