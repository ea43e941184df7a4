import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A consumer's cursor (the last ticket_events id it handled), or null before its first pass. */
export async function readFeedCursor(db: Kysely<Database>, consumer: string): Promise<number | null> {
  const row = await db
    .selectFrom('event_feed_cursors')
    .select('last_id')
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row ? Number(row.last_id) : null;
}

/** Moves a consumer's cursor (creating it on the first pass). */
export async function writeFeedCursor(db: Kysely<Database>, consumer: string, lastId: number, at: number) {
  await db
    .insertInto('event_feed_cursors')
    .values({ consumer, last_id: lastId, updated_at: at })
    .onConflict((oc) => oc.column('consumer').doUpdateSet({ last_id: lastId, updated_at: at }))
    .execute();
}

/** Ticket events after a cursor written no later than `until`, oldest first. */
export function listFeedEvents(db: Kysely<Database>, after: number, until: number, limit: number) {
  return db
    .selectFrom('ticket_events')
    .select(['id', 'ticket_id', 'type', 'actor_type', 'actor_id', 'data', 'created_at'])
    .where('id', '>', after)
    .where('created_at', '<=', until)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The newest ticket event's id (0 with none): where a consumer that skips history starts. */
export async function latestFeedEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('ticket_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}
