import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/* The staff_users table. */

/** Names of the given staff ids (ids that do not exist are left out). */
export async function selectStaffNames(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('staff_users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
