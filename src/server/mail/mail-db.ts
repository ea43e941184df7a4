import type { Generated, Kysely } from 'kysely';
import type { Db } from '../db/database';
import type { Database } from '../db/schema';

/* The email-out tables of migration 019, typed beside the core schema (which stays untouched). */

export interface MailSettingsTable {
  id: number;
  host: Generated<string>;
  port: Generated<number>;
  tls_mode: Generated<'none' | 'starttls' | 'tls'>;
  username: Generated<string>;
  password: Generated<string>;
  from_name: Generated<string>;
  from_address: Generated<string>;
  public_url: Generated<string>;
  reply_delay_minutes: Generated<number>;
  link_secret: string;
  updated_at: number;
}

export interface MailTemplatesTable {
  kind: string;
  subject: string;
  body: string;
  updated_at: number;
}

export interface MailOutboxTable {
  id: Generated<number>;
  key: string;
  kind: string;
  to_address: string;
  subject: string;
  text: string;
  html: string | null;
  ticket_id: number | null;
  in_reply_to: string | null;
  auto_submitted: string;
  message_id: string | null;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface MailPendingTable {
  key: string;
  ticket_id: number;
  message_id: number;
  due_at: number;
  created_at: number;
}

export interface MailPreferencesTable {
  owner: string;
  kind: string;
  enabled: number;
  updated_at: number;
}

/** How mail reaches the help desk (migration 024, one row). */
export interface MailMailboxTable {
  id: number;
  mode: Generated<'off' | 'imap' | 'smtp'>;
  imap_host: Generated<string>;
  imap_port: Generated<number>;
  imap_tls: Generated<'none' | 'starttls' | 'tls'>;
  imap_user: Generated<string>;
  imap_password: Generated<string>;
  imap_folder: Generated<string>;
  smtp_host: Generated<string>;
  smtp_port: Generated<number>;
  /** The listener's STARTTLS certificate and key: paths of PEM files on the server ('' for none; migration 027). */
  smtp_tls_cert_file: Generated<string>;
  smtp_tls_key_file: Generated<string>;
  addresses: Generated<string>;
  unknown_senders: Generated<'accept' | 'refuse'>;
  max_message_bytes: Generated<number>;
  updated_at: number;
}

/** One incoming message and what became of it (migration 024). */
export interface MailImportsTable {
  id: Generated<number>;
  message_id: string;
  source: 'imap' | 'smtp';
  from_address: Generated<string>;
  subject: Generated<string>;
  outcome: 'ticket' | 'reply' | 'auto-reply' | 'bounce' | 'loop' | 'not-served' | 'failed';
  ticket_id: number | null;
  reason: string | null;
  attempts: Generated<number>;
  raw: Buffer | null;
  created_at: number;
  updated_at: number;
}

export interface MailDatabase extends Database {
  mail_mailbox: MailMailboxTable;
  mail_imports: MailImportsTable;
  mail_settings: MailSettingsTable;
  mail_templates: MailTemplatesTable;
  mail_outbox: MailOutboxTable;
  mail_pending: MailPendingTable;
  mail_preferences: MailPreferencesTable;
}

export type MailKysely = Kysely<MailDatabase>;

/** The query builder typed with the mail tables. */
export function mailDb(db: Db): MailKysely {
  return db.kysely as unknown as MailKysely;
}
