import type { Selectable, Updateable } from 'kysely';
import type { MailKysely, MailMailboxTable } from './mail-db';

/* mail_mailbox (one row, id 1): how mail reaches the help desk. */

export type MailboxRow = Selectable<MailMailboxTable>;

export function selectMailbox(db: MailKysely): Promise<MailboxRow | undefined> {
  return db.selectFrom('mail_mailbox').selectAll().where('id', '=', 1).executeTakeFirst();
}

/** Creates the row with the migration's defaults unless another process did first. */
export async function insertMailbox(db: MailKysely, now: number): Promise<void> {
  await db
    .insertInto('mail_mailbox')
    .values({ id: 1, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function updateMailbox(db: MailKysely, set: Updateable<MailMailboxTable>): Promise<void> {
  await db.updateTable('mail_mailbox').set(set).where('id', '=', 1).execute();
}
