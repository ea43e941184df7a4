import { sql, type ExpressionBuilder } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { inContentTransaction, recordChange } from './content-changes';

/*
 * Announcements also change with time: one becomes visible when `starts_at` passes and disappears
 * when `expires_at` passes, without anyone writing. Delta sync only sees the content_changes log, so
 * before answering a sync we log those passed boundaries.
 *
 * Every logged change of an announcement also sets its `updated_at`, so "a boundary has passed with
 * no change logged since" is simply `updated_at < boundary` on the small announcements table; logging
 * it bumps `updated_at` to now, which makes the sweep idempotent.
 */

function due(now: number) {
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

/** Logs a sync change for each announcement whose start or expiry passed since its last change; returns how many. */
export async function logPassedBoundaries(ctx: Pick<ServerContext, 'db'>, now: number): Promise<number> {
  // The common case is nothing due: a read, no write transaction, for every agent poll.
  const pending = await ctx.db.kysely.selectFrom('announcements').select('id').where(due(now)).limit(1).execute();
  if (pending.length === 0) return 0;
  return inContentTransaction(ctx, async (trx) => {
    // Re-checked under the lock: a concurrent sync may have logged them already.
    const rows = await trx
      .updateTable('announcements')
      .set({ updated_at: now })
      .where(due(now))
      .returning(['id', 'expires_at'])
      .execute();
    for (const row of rows)
      await recordChange(
        trx,
        'announcement',
        row.id,
        row.expires_at !== null && row.expires_at <= now ? 'delete' : 'upsert',
        now,
      );
    return rows.length;
  });
}
