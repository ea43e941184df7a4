import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Indexes for the staff queue, which sorts by resolution due time with tickets without an SLA last.
 * SQLite puts NULLs first in ascending order and cannot use an index for NULLS LAST, so the queue
 * sorts by coalesce(resolution_due_at, <max safe integer>) on both databases and these indexes hold
 * that exact expression (the planners match expressions textually, so the query must spell it the
 * same way; see tickets/queue.repo.ts). The partial index serves the default view (new, open,
 * pending) in sort order, so the first page reads only the rows it returns.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await sql`CREATE INDEX tickets_open_by_due ON tickets (coalesce(resolution_due_at, 9007199254740991), priority, id) WHERE status IN ('new', 'open', 'pending')`.execute(
    db,
  );
  await sql`CREATE INDEX tickets_status_by_due ON tickets (status, coalesce(resolution_due_at, 9007199254740991), priority, id)`.execute(
    db,
  );
}
