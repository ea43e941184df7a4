import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Email out (issue 15): IT's SMTP settings (one row), the templates IT edited (absent = the shipped
 * default), the outbox with its retry state, the replies waiting to see whether the employee reads them in
 * the tray first, and each person's choice per notification kind (absent = on).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';
  const serial = pgsql ? 'bigserial' : 'integer';
  await db.schema
    .createTable('mail_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('port', 'integer', (c) => c.notNull().defaultTo(587))
    .addColumn('tls_mode', 'text', (c) => c.notNull().defaultTo('starttls'))
    .addColumn('username', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('from_name', 'text', (c) => c.notNull().defaultTo('Help desk'))
    .addColumn('from_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('public_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reply_delay_minutes', 'integer', (c) => c.notNull().defaultTo(5))
    /** Signs the rating and "manage these emails" links in mail to employees. */
    .addColumn('link_secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_templates')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', serial, (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('ticket_id', big)
    .addColumn('in_reply_to', 'text')
    .addColumn('auto_submitted', 'text', (c) => c.notNull().defaultTo('auto-generated'))
    .addColumn('message_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('sent_at', big)
    .execute();
  await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'next_attempt_at']).execute();

  await db.schema
    .createTable('mail_pending')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', big, (c) => c.notNull())
    .addColumn('message_id', big, (c) => c.notNull())
    .addColumn('due_at', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_pending_due').on('mail_pending').column('due_at').execute();

  await db.schema
    .createTable('mail_preferences')
    /** `staff:<id>` or `employee:<lower-cased address>`. */
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('mail_preferences_pk', ['owner', 'kind'])
    .execute();
}
