import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Fix-it runs (issue 12): one row per self-service action an employee ran on their own computer from a
 * health finding or an article, as the device recorded it. Kept apart from device_commands, whose rows
 * are a technician's signed requests (a requester, an envelope, a signature, an expiry); these have none
 * of those, only the run. The id is the agent's, so a retried record is stored once.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('device_local_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('exit_code', big)
    .addColumn('duration_ms', big, (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('output', 'text', (c) => c.notNull())
    .addColumn('output_truncated', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', big, (c) => c.notNull())
    .addColumn('received_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('device_local_actions_device')
    .on('device_local_actions')
    .columns(['device_id', 'started_at'])
    .execute();
}
