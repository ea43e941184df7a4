import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SnapshotsTable } from '../db/schema';

/*
 * The snapshots table as the device pages read it. The statements every snapshot upload (and ticket
 * submission) runs are precompiled in src/server/snapshots/snapshots.repo.ts.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** A stored snapshot's facts, without its document. */
export type SnapshotInfoRow = Pick<
  Selectable<SnapshotsTable>,
  'id' | 'device_id' | 'collected_at' | 'received_at' | 'raw_size' | 'findings'
>;
const INFO_COLUMNS = ['id', 'device_id', 'collected_at', 'received_at', 'raw_size', 'findings'] as const;

/** What a diff needs of a snapshot. */
export type SnapshotDiffRow = Pick<Selectable<SnapshotsTable>, 'id' | 'device_id' | 'collected_at' | 'data'>;
const DIFF_COLUMNS = ['id', 'device_id', 'collected_at', 'data'] as const;

/** The id of a device's snapshot with this content hash (a statement of the snapshot's program). */
export function snapshotIdByHashQuery(db: Executor, deviceId: string, hash: string) {
  return db.selectFrom('snapshots').select('id').where('device_id', '=', deviceId).where('hash', '=', hash);
}

export async function selectSnapshotInfo(db: Kysely<Database>, id: number): Promise<SnapshotInfoRow | undefined> {
  return db.selectFrom('snapshots').select(INFO_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** A snapshot's facts with its stored (gzipped) document. */
export async function selectSnapshotWithData(
  db: Kysely<Database>,
  id: number,
): Promise<(SnapshotInfoRow & { data: Buffer }) | undefined> {
  return db
    .selectFrom('snapshots')
    .select([...INFO_COLUMNS, 'data'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The stored (gzipped) document of a snapshot. */
export async function selectSnapshotData(db: Kysely<Database>, id: number): Promise<Buffer | undefined> {
  return (await db.selectFrom('snapshots').select('data').where('id', '=', id).executeTakeFirst())?.data;
}

/** A snapshot's device and data, or undefined when there is no such snapshot. */
export async function selectSnapshotOfDevice(
  db: Kysely<Database>,
  id: number,
): Promise<{ device_id: string; data: Buffer } | undefined> {
  return db.selectFrom('snapshots').select(['device_id', 'data']).where('id', '=', id).executeTakeFirst();
}

/** One page of a device's snapshots, newest collected first (ties by id). */
export async function selectSnapshotsOfDevice(
  db: Kysely<Database>,
  deviceId: string,
  page: { limit: number; offset: number },
): Promise<SnapshotInfoRow[]> {
  return db
    .selectFrom('snapshots')
    .select(INFO_COLUMNS)
    .where('device_id', '=', deviceId)
    .orderBy('collected_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export async function countSnapshotsOfDevice(db: Kysely<Database>, deviceId: string): Promise<number> {
  const row = await db
    .selectFrom('snapshots')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('device_id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function selectSnapshotForDiff(db: Kysely<Database>, id: number): Promise<SnapshotDiffRow | undefined> {
  return db.selectFrom('snapshots').select(DIFF_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** The snapshot of the same device collected just before `target` (ties by id). */
export async function selectPreviousSnapshotForDiff(
  db: Kysely<Database>,
  target: Pick<SnapshotDiffRow, 'id' | 'device_id' | 'collected_at'>,
): Promise<SnapshotDiffRow | undefined> {
  return db
    .selectFrom('snapshots')
    .select(DIFF_COLUMNS)
    .where('device_id', '=', target.device_id)
    .where((eb) =>
      eb.or([
        eb('collected_at', '<', target.collected_at),
        eb.and([eb('collected_at', '=', target.collected_at), eb('id', '<', target.id)]),
      ]),
    )
    .orderBy('collected_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
