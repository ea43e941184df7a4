import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Remote control (issue 13): one row per session a technician asked for. The row keeps the signed request
 * as sent (a second delivery is byte-for-byte the same), the hashes of the two tunnels' one-time tokens, the
 * device's one-time VNC password while the session can be joined (cleared when it ends), its status, who
 * consented, and its times and byte counts for the ticket and the audit.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('remote_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('staff_users.id'))
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('device_token_hash', 'text', (c) => c.notNull())
    .addColumn('console_token_hash', 'text', (c) => c.notNull())
    .addColumn('vnc_password', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consent', 'text')
    .addColumn('requested_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('device_joined_at', big)
    .addColumn('console_joined_at', big)
    .addColumn('started_at', big)
    .addColumn('ended_at', big)
    .addColumn('end_reason', 'text')
    .addColumn('bytes_to_console', big, (c) => c.notNull().defaultTo(0))
    .addColumn('bytes_to_device', big, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('remote_sessions_device_status')
    .on('remote_sessions')
    .columns(['device_id', 'status'])
    .execute();
  await db.schema
    .createIndex('remote_sessions_requested')
    .on('remote_sessions')
    .columns(['requested_by', 'requested_at'])
    .execute();
}
