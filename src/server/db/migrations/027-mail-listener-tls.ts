import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Email in (issue 15): Deskside's SMTP listener offers STARTTLS with a certificate IT names. The settings keep
 * the paths of the PEM files on the server (where certbot or IT's own tooling renews them), not their contents:
 * the listener reads them when it starts and again when they change. '' for both: no STARTTLS.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('mail_mailbox')
    .addColumn('smtp_tls_cert_file', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('mail_mailbox')
    .addColumn('smtp_tls_key_file', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
