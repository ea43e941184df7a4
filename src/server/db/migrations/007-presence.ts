import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Live presence: when a device's live channel closed (the agent stopped, or went silent until the server
 * closed its socket), so it shows offline at once instead of a window later (src/shared/presence.ts); and
 * an index for the online and offline filters of the device list, the queue and the fleet queries.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('devices').addColumn('left_at', big).execute();
  await db.schema.createIndex('devices_last_seen_at').on('devices').column('last_seen_at').execute();
}
