/*
 * Email in's settings and import-log fields as plain data, with no zod: the console's Mailbox tab reads them
 * without loading the schema library, and src/shared/api/mailbox.ts builds its schemas from the same constants.
 */

/** How mail reaches the help desk: not at all, an IMAP mailbox Deskside reads, or Deskside's SMTP listener. */
export const MAILBOX_MODES = ['off', 'imap', 'smtp'] as const;
/** What to do with mail from senders Deskside does not know. */
export const UNKNOWN_SENDER_POLICIES = ['accept', 'refuse'] as const;
/** What became of an incoming message (the importer's outcomes, `mail_imports.outcome`). */
export const MAIL_IMPORT_OUTCOMES = [
  'ticket',
  'reply',
  'auto-reply',
  'bounce',
  'loop',
  'not-served',
  'failed',
] as const;
export type MailImportOutcome = (typeof MAIL_IMPORT_OUTCOMES)[number];
/** Where an incoming message came from. */
export const MAIL_IMPORT_SOURCES = ['imap', 'smtp'] as const;
/** Where "Test connection" found the trouble. */
export const MAILBOX_CHECK_KINDS = ['config', 'connection', 'tls', 'auth', 'folder', 'bind'] as const;

/** The size limit's bounds: 64 KiB (a bare text mail) to 100 MiB (what mail servers commonly allow). */
export const MIN_MESSAGE_BYTES = 64 * 1024;
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
/** How many addresses the SMTP listener may accept mail for. */
export const MAX_MAILBOX_ADDRESSES = 50;
