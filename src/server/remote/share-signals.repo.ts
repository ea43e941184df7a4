import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

/* The share_signals table: screen-share signaling waiting for its recipient's holder (migration 014). */

type Executor = Kysely<Database> | Transaction<Database>;
export type ShareSide = 'device' | 'console';

export async function insertShareSignal(
  db: Executor,
  row: { sessionId: string; to: ShareSide; payload: string; at: number },
): Promise<void> {
  await db
    .insertInto('share_signals')
    .values({ session_id: row.sessionId, to_side: row.to, payload: row.payload, created_at: row.at, taken_at: null })
    .execute();
}

/** Signals sent so far to one side of a session (the per-session cap). */
export async function countShareSignals(db: Executor, sessionId: string, to: ShareSide): Promise<number> {
  const row = await db
    .selectFrom('share_signals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('to_side', '=', to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Takes the session's signals for one side not taken yet, oldest first, in one conditional UPDATE: two
 * processes (or two calls) never both take one.
 */
export async function takeShareSignals(
  db: Executor,
  sessionId: string,
  to: ShareSide,
  now: number,
): Promise<Array<{ id: number; payload: string }>> {
  const rows = await db
    .updateTable('share_signals')
    .set({ taken_at: now })
    .where('session_id', '=', sessionId)
    .where('to_side', '=', to)
    .where('taken_at', 'is', null)
    .returning(['id', 'payload'])
    .execute();
  return rows.map((r) => ({ id: Number(r.id), payload: r.payload })).sort((a, b) => a.id - b.id);
}

export async function deleteShareSignals(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('share_signals').where('session_id', '=', sessionId).execute();
}
