import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Email in (issue 15) recognises a technician's reply by the Message-ID of the notification it answers
 * (mail-imports.repo.ts `staffReplier`): an index on the outbox's Message-IDs makes that a lookup instead of a
 * scan of every mail ever sent.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('mail_outbox_message_id').on('mail_outbox').column('message_id').execute();
}
