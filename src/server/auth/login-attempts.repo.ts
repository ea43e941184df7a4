import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/* The login_attempts table: one row per failed sign-in and key (`email:…`, `ip:…`). */

/** Per key with failures since `since`: how many, and when the first of them was. */
export async function countAttemptsSince(
  db: Kysely<Database>,
  keys: readonly string[],
  since: number,
): Promise<{ key: string; count: number; first: number }[]> {
  const rows = await db
    .selectFrom('login_attempts')
    .select(['key', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('at').as('first')])
    .where('key', 'in', keys)
    .where('at', '>=', since)
    .groupBy('key')
    .execute();
  return rows.map((row) => ({ key: row.key, count: Number(row.n), first: Number(row.first) }));
}

export async function insertAttempts(db: Kysely<Database>, keys: readonly string[], at: number): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values(keys.map((key) => ({ key, at })))
    .execute();
}

export async function deleteAttempts(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_attempts').where('key', '=', key).execute();
}

/** Deletes the attempts made before `before`; returns how many. */
export async function deleteAttemptsBefore(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('login_attempts').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
