import type { Kysely } from 'kysely';
import type { Dialect } from '../database';

/*
 * Email in (issue 15):
 *
 * - `mail_mailbox` (one row, id 1): how mail reaches the help desk — off, an IMAP mailbox Deskside reads,
 *   or Deskside's own SMTP listener — and what to do with senders nobody knows. The IMAP password is kept
 *   as is (the reader must log in with it); it never leaves the server (write-only in the API).
 * - `mail_imports`: one row per incoming message, keyed by its Message-ID (or a hash of the message when it
 *   has none), so a message read twice (a crash between commit and \Seen, a client re-sending) makes one
 *   ticket. The outcome says what became of it; `raw` keeps the message while it failed, for the retry and
 *   for IT to look at, and is cleared once it imported.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pgsql = dialect === 'postgres';
  const big = pgsql ? 'bigint' : 'integer';

  await db.schema
    .createTable('mail_mailbox')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('off'))
    .addColumn('imap_host', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('imap_port', 'integer', (c) => c.notNull().defaultTo(993))
    .addColumn('imap_tls', 'text', (c) => c.notNull().defaultTo('tls'))
    .addColumn('imap_user', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('imap_password', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('imap_folder', 'text', (c) => c.notNull().defaultTo('INBOX'))
    .addColumn('smtp_host', 'text', (c) => c.notNull().defaultTo('127.0.0.1'))
    .addColumn('smtp_port', 'integer', (c) => c.notNull().defaultTo(2525))
    /** Comma-separated addresses the SMTP listener accepts mail for; empty: the help desk's From address. */
    .addColumn('addresses', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('unknown_senders', 'text', (c) => c.notNull().defaultTo('accept'))
    .addColumn('max_message_bytes', 'integer', (c) => c.notNull().defaultTo(25 * 1024 * 1024))
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mail_imports')
    .addColumn('id', pgsql ? 'bigserial' : 'integer', (c) => (pgsql ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.references('tickets.id').onDelete('set null'))
    .addColumn('reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('raw', pgsql ? 'bytea' : 'blob')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_imports_recent').on('mail_imports').columns(['updated_at']).execute();
}
