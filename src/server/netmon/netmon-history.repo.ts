import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/*
 * Queries of network monitoring's kept records: the raw samples and link reports a ticket's summary is made
 * from, the stored summaries (migration 022), a device's bandwidth tests, and a server-side check's raw runs.
 */

type Db = Kysely<Database>;

/** A source's raw samples in [from, to], by target then time (only what the summary needs). */
export async function selectRawForSummary(db: Db, sourceId: number, from: number, to: number) {
  return db
    .selectFrom('netmon_samples')
    .select(['target_id', 'at', 'sent', 'received', 'rtt_us', 'min_us', 'max_us', 'jitter_us'])
    .where('source_id', '=', sourceId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('target_id')
    .orderBy('at')
    .execute();
}

/** A source's raw link reports in [from, to] (the Wi-Fi signal and rate). */
export async function selectRawSignal(db: Db, sourceId: number, from: number, to: number) {
  return db
    .selectFrom('netmon_links')
    .select(['at', 'signal_dbm', 'rate_mbps'])
    .where('source_id', '=', sourceId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .execute();
}

export async function insertTicketSummary(db: Db, row: Database['netmon_ticket_summaries']): Promise<void> {
  await db
    .insertInto('netmon_ticket_summaries')
    .values(row)
    .onConflict((oc) => oc.column('ticket_id').doNothing())
    .execute();
}

export async function selectTicketSummary(db: Db, ticketId: number) {
  return db.selectFrom('netmon_ticket_summaries').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
}

/** A source's bandwidth tests, newest first. */
export async function selectBandwidth(db: Db, sourceId: number, limit: number) {
  return db
    .selectFrom('netmon_bandwidth')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('at', 'desc')
    .limit(limit)
    .execute();
}

/** One target's raw runs of a source in [from, to], oldest first. */
export async function selectTargetRuns(db: Db, sourceId: number, targetId: number, from: number, to: number) {
  return db
    .selectFrom('netmon_samples')
    .select(['at', 'received', 'rtt_us', 'error'])
    .where('source_id', '=', sourceId)
    .where('target_id', '=', targetId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at')
    .execute();
}

export async function selectDevicePresence(db: Db, deviceId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'last_seen_at', 'left_at'])
    .where('id', '=', deviceId)
    .executeTakeFirst();
}
