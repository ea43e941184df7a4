import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Two of the first migration's indexes on tickets serve no query since the queue sorts by
 * coalesce(resolution_due_at, ...) (002-queue.ts): tickets_queue (status, resolution_due_at, priority, id)
 * and tickets_due (resolution_due_at, priority, id). No query orders or filters by the bare due time;
 * lookups by status alone use tickets_status_by_due, which begins with status as tickets_queue did. Every
 * ticket insert and every change of status, priority or due time kept both up to date for nothing.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`drop index if exists tickets_queue`.execute(db);
  await sql`drop index if exists tickets_due`.execute(db);
}
