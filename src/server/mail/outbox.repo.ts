import type { Insertable, Selectable, Updateable } from 'kysely';
import type { MailKysely, MailOutboxTable, MailPendingTable } from './mail-db';

/* mail_outbox (what is to be sent, with its retry state) and mail_pending (replies waiting for a read mark). */

export type OutboxRow = Selectable<MailOutboxTable>;

/** Inserts unless the key is there already; true when inserted. */
export async function insertOutboxRow(db: MailKysely, row: Insertable<MailOutboxTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('mail_outbox')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Queued rows due now, oldest first. */
export function selectDueOutbox(db: MailKysely, now: number, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Moves a row from one status to another; false when another pass moved it first. */
export async function moveOutboxRow(
  db: MailKysely,
  id: number,
  from: MailOutboxTable['status'][],
  set: Updateable<MailOutboxTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('mail_outbox')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Rows left `sending` by a process that stopped mid-send go back to the queue. */
export async function requeueStuck(db: MailKysely, before: number, now: number): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'queued', next_attempt_at: now, updated_at: now })
    .where('status', '=', 'sending')
    .where('updated_at', '<', before)
    .execute();
}

export function selectOutboxRow(db: MailKysely, id: number): Promise<OutboxRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The failure log (failed, or queued after a failure) or the latest rows. */
export function selectOutboxList(db: MailKysely, view: 'problems' | 'all', limit = 200): Promise<OutboxRow[]> {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .$if(view === 'problems', (q) =>
      q.where((eb) =>
        eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'queued'), eb('attempts', '>', 0)])]),
      ),
    )
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function countOutboxByStatus(db: MailKysely): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function insertPending(db: MailKysely, row: Selectable<MailPendingTable>): Promise<void> {
  await db
    .insertInto('mail_pending')
    .values(row)
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export function selectDuePending(db: MailKysely, now: number, limit: number) {
  return db.selectFrom('mail_pending').selectAll().where('due_at', '<=', now).orderBy('due_at').limit(limit).execute();
}

export async function deletePending(db: MailKysely, key: string): Promise<void> {
  await db.deleteFrom('mail_pending').where('key', '=', key).execute();
}
