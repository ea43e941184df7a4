import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Consumers of ticket history (email notifications, webhooks) read `ticket_events` in id order after a
 * cursor of their own, so every event written in a ticket's transaction reaches them once it is committed,
 * whichever server process wrote it and whether or not a consumer was running then.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('event_feed_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    /** The last ticket_events.id this consumer has handled. */
    .addColumn('last_id', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
}
