import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Remote actions: one row per command a technician asked a device to run (src/shared/actions). The row
 * keeps the signed envelope exactly as sent, so a command delivered twice (a reconnect, a second server
 * process) is byte-for-byte the same; its status follows the command from queued to its result, and the
 * result (exit code, duration, capped output, structured fields) is kept for the ticket and the audit.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('device_commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('staff_users.id'))
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('issued_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consent', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('duration_ms', big)
    .addColumn('output', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('device_commands_device_status')
    .on('device_commands')
    .columns(['device_id', 'status'])
    .execute();
  await db.schema.createIndex('device_commands_ticket').on('device_commands').column('ticket_id').execute();
  // The per-technician rate limit counts a technician's recent requests.
  await db.schema
    .createIndex('device_commands_requested')
    .on('device_commands')
    .columns(['requested_by', 'issued_at'])
    .execute();
}
