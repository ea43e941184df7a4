import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * The live channel: when a staff reply reached the employee's computer (the agent acknowledged it) and when
 * the employee read it (opened the ticket), for the console's delivered and read marks.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('messages').addColumn('delivered_at', big).execute();
  await db.schema.alterTable('messages').addColumn('read_at', big).execute();
}
