import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { ContentStatus } from '../../shared/api/articles';
import type { AnnouncementsTable, Database } from '../db/schema';

/* The announcements table. */

/** An announcement row as stored. */
export type AnnouncementRow = Selectable<AnnouncementsTable>;

/** A live (not deleted) announcement. */
export async function selectLiveAnnouncement(db: Kysely<Database>, id: number): Promise<AnnouncementRow | undefined> {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Rows by id, deleted ones included. */
export async function selectAnnouncementsByIds(db: Kysely<Database>, ids: number[]): Promise<AnnouncementRow[]> {
  return db.selectFrom('announcements').selectAll().where('id', 'in', ids).execute();
}

/** One page of live announcements, newest start first, and how many match in all. */
export async function selectAnnouncementPage(
  db: Kysely<Database>,
  filter: { status?: ContentStatus; limit: number; offset: number },
): Promise<{ rows: AnnouncementRow[]; total: number }> {
  let query = db.selectFrom('announcements').where('deleted_at', 'is', null);
  if (filter.status) query = query.where('status', '=', filter.status);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('starts_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function insertAnnouncement(
  db: Kysely<Database>,
  row: Insertable<AnnouncementsTable>,
): Promise<AnnouncementRow> {
  return db.insertInto('announcements').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateAnnouncementRow(
  db: Kysely<Database>,
  id: number,
  set: Updateable<AnnouncementsTable>,
): Promise<AnnouncementRow> {
  return db.updateTable('announcements').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Marks a live announcement deleted; false when there was none. */
export async function softDeleteAnnouncement(db: Kysely<Database>, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('announcements')
    .set({ deleted_at: now, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/*
 * Announcements also change with time: one becomes visible when `starts_at` passes and disappears
 * when `expires_at` passes, without anyone writing. Every logged change of an announcement also sets
 * its `updated_at`, so "a boundary has passed with no change logged since" is simply
 * `updated_at < boundary` on the small announcements table; logging it bumps `updated_at` to now,
 * which makes the sweep idempotent (see announcements.service.ts, logPassedBoundaries).
 */
function boundaryDue(now: number) {
  return (eb: ExpressionBuilder<Database, 'announcements'>) =>
    eb.and([
      eb('status', '=', 'published'),
      eb('deleted_at', 'is', null),
      eb('starts_at', '<=', now),
      // The latest boundary already passed: expiry if it has come, otherwise the start.
      eb(
        'updated_at',
        '<',
        sql<number>`CASE WHEN expires_at IS NOT NULL AND expires_at <= ${now} THEN expires_at ELSE starts_at END`,
      ),
    ]);
}

/** Whether any announcement has a start or expiry passed since its last logged change. */
export async function hasPassedBoundaries(db: Kysely<Database>, now: number): Promise<boolean> {
  const pending = await db.selectFrom('announcements').select('id').where(boundaryDue(now)).limit(1).execute();
  return pending.length > 0;
}

/** Sets `updated_at` to now on every announcement with a passed boundary; returns them. */
export async function touchPassedBoundaries(
  db: Kysely<Database>,
  now: number,
): Promise<Array<{ id: number; expires_at: number | null }>> {
  return db
    .updateTable('announcements')
    .set({ updated_at: now })
    .where(boundaryDue(now))
    .returning(['id', 'expires_at'])
    .execute();
}
