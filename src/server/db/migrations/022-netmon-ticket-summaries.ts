import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * "The network in the last 24 hours", kept with the ticket (issue 14): when a device files a ticket, a compact
 * summary of its network in the 24 hours before (per target: samples, average and p95 round trip, loss,
 * availability, hourly points; the Wi-Fi signal) is stored here as JSON (src/shared/api/netmon-history.ts,
 * compacted by src/server/netmon/ticket-netmon.ts). The ticket view reads it instead of the live history,
 * whose 5-minute rows age out; tickets from before this migration have no row and fall back to the history.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('netmon_ticket_summaries')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('captured_at', big, (c) => c.notNull())
    /** JSON: the compact summary (a few kilobytes). */
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute();
}
