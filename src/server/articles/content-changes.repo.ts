import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';

/* The content_changes table: the sync log of articles and announcements. */

/** What a content_changes row points at. */
export type ContentEntity = 'article' | 'announcement';
/** A transaction over the Deskside database. */
export type Trx = Transaction<Database>;

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serializes content_changes writers. */
export const CONTENT_CHANGES_LOCK = 0x64736b01;

/**
 * Runs a content write in one transaction: the row change, its content_changes entry and its audit
 * entry commit together or not at all.
 *
 * On PostgreSQL, `bigserial` ids are handed out when a row is inserted but become visible only when
 * its transaction commits, so two concurrent writers can commit ids 8 then 7. An agent syncing in
 * between would see 8, take it as its cursor, and never ask for 7 again: a lost update. The
 * transaction-scoped advisory lock, taken before anything else, makes writers take turns from id
 * assignment to commit, so change ids become visible in order. SQLite has a single writer already.
 */
export async function inContentTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.kysely.transaction().execute(async (trx) => {
    if (db.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${CONTENT_CHANGES_LOCK})`.execute(trx);
    return work(trx);
  });
}

/** Appends one entry to the sync log; call inside inContentTransaction. */
export async function insertContentChange(
  trx: Trx,
  entity: ContentEntity,
  entityId: number,
  op: 'upsert' | 'delete',
  at: number,
): Promise<void> {
  await trx.insertInto('content_changes').values({ entity, entity_id: entityId, op, at }).execute();
}

/** The id of the latest change of any entity (0 when there is none): the sync's high-water mark. */
export async function selectLatestChangeId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('content_changes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/**
 * The entities of one type changed in (since, upTo], each once with the id of its latest change,
 * in the order of those ids; at most `limit`.
 */
export async function selectChangedEntities(
  db: Kysely<Database>,
  entity: ContentEntity,
  since: number,
  upTo: number,
  limit: number,
): Promise<Array<{ id: number; lastId: number }>> {
  const rows = await db
    .selectFrom('content_changes')
    .select((eb) => ['entity_id', eb.fn.max('id').as('last_id')])
    .where('entity', '=', entity)
    .where('id', '>', since)
    .where('id', '<=', upTo)
    .groupBy('entity_id')
    .orderBy('last_id')
    .limit(limit)
    .execute();
  return rows.map((c) => ({ id: Number(c.entity_id), lastId: Number(c.last_id) }));
}
