import { z } from 'zod';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';
import { hostName, idParams, SMTP_TLS_MODES } from './mail';
import {
  MAIL_IMPORT_OUTCOMES,
  MAIL_IMPORT_SOURCES,
  MAILBOX_CHECK_KINDS,
  MAILBOX_MODES,
  MAX_MAILBOX_ADDRESSES,
  MAX_MESSAGE_BYTES,
  MIN_MESSAGE_BYTES,
  UNKNOWN_SENDER_POLICIES,
  type MailImportOutcome,
} from '../mailbox-fields';

export type { MailImportOutcome };

/*
 * Email in (issue 15): how mail reaches the help desk — off, an IMAP mailbox Deskside reads, or Deskside's
 * own SMTP listener — what to do with senders nobody knows, and the import log saying what became of each
 * incoming message. The IMAP password is write-only, like the SMTP one of email out.
 */

/** GET /api/v1/mail/mailbox: the settings; the IMAP password is never returned, only whether one is set. */
export const mailboxSettingsSchema = z.object({
  mode: z.enum(MAILBOX_MODES),
  imapHost: z.string(),
  imapPort: z.number(),
  imapTls: z.enum(SMTP_TLS_MODES),
  imapUser: z.string(),
  imapPasswordSet: z.boolean(),
  imapFolder: z.string(),
  smtpHost: z.string(),
  smtpPort: z.number(),
  /** The listener's STARTTLS certificate and key: paths of PEM files on the server ('' for none). */
  smtpTlsCertFile: z.string(),
  smtpTlsKeyFile: z.string(),
  /** The addresses the listener accepts mail for, as IT wrote them; empty: the help desk's From address. */
  addresses: z.array(z.string()),
  /** Email out's From address, which the listener accepts when `addresses` is empty ('' when not set). */
  fromAddress: z.string(),
  unknownSenders: z.enum(UNKNOWN_SENDER_POLICIES),
  maxMessageBytes: z.number(),
  updatedAt: z.string(),
  /**
   * The mailbox as the answering server instance runs it: running (listening, or logged in to the mailbox)
   * or the error that stops it; null where this instance does not run the mailbox (another one holds it).
   */
  transport: z.object({ running: z.boolean(), error: z.string().nullable() }).nullable().optional(),
});
export type MailboxSettingsDto = z.infer<typeof mailboxSettingsSchema>;

const PORT_RANGE = 'a port from 1 to 65535';
const port = z.number().int(PORT_RANGE).min(1, PORT_RANGE).max(65535, PORT_RANGE);
/** Where the SMTP listener binds: an IPv4 or IPv6 address (`0.0.0.0`, `::`) or a host name. */
const listenHost = text()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/, 'an IP address or host name');

/** A PEM file on the server: an absolute path ('' for none). */
const pemFile = text()
  .trim()
  .max(1024)
  .regex(/^$|^\/|^[A-Za-z]:[\\/]/, 'an absolute path on the server (e.g. /etc/ssl/help.example.com.pem)');

const mailboxFields = z
  .object({
    mode: z.enum(MAILBOX_MODES),
    imapHost: hostName,
    imapPort: port,
    imapTls: z.enum(SMTP_TLS_MODES),
    imapUser: text().trim().max(254),
    /** Omitted: keep the stored password; '': clear it. */
    imapPassword: text().max(1024).optional(),
    imapFolder: text().trim().min(1, 'name a folder (usually INBOX)').max(200),
    smtpHost: listenHost,
    smtpPort: port,
    /** Omitted from a PUT: none (''); from a test: the saved one. */
    smtpTlsCertFile: pemFile.optional(),
    smtpTlsKeyFile: pemFile.optional(),
    addresses: z.array(z.email('not an email address').max(254)).max(MAX_MAILBOX_ADDRESSES),
    unknownSenders: z.enum(UNKNOWN_SENDER_POLICIES),
    maxMessageBytes: z
      .number()
      .int()
      .min(MIN_MESSAGE_BYTES, 'at least 64 KiB')
      .max(MAX_MESSAGE_BYTES, 'at most 100 MiB'),
  })
  .strict();

/** PUT /api/v1/mail/mailbox: reading a mailbox needs its host and user; STARTTLS needs both files. */
export const putMailboxSchema = mailboxFields.superRefine((value, issues) => {
  if (!value.smtpTlsCertFile !== !value.smtpTlsKeyFile) {
    const missing = value.smtpTlsCertFile ? 'smtpTlsKeyFile' : 'smtpTlsCertFile';
    issues.addIssue({ code: 'custom', path: [missing], message: 'STARTTLS needs both the certificate and its key' });
  }
  if (value.mode !== 'imap') return;
  if (!value.imapHost) issues.addIssue({ code: 'custom', path: ['imapHost'], message: 'IMAP needs a host' });
  if (!value.imapUser) issues.addIssue({ code: 'custom', path: ['imapUser'], message: 'IMAP needs a user name' });
});
export type PutMailboxRequest = z.input<typeof putMailboxSchema>;

/**
 * POST /api/v1/mail/mailbox/test: the form's unsaved values, any subset; the saved settings fill the rest
 * (the password omitted: the saved one).
 */
export const testMailboxRequestSchema = mailboxFields.partial();
export type TestMailboxRequest = z.input<typeof testMailboxRequestSchema>;
export const mailboxCheckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: z.string() }),
  z.object({ ok: z.literal(false), kind: z.enum(MAILBOX_CHECK_KINDS), message: z.string() }),
]);
export type MailboxCheckDto = z.infer<typeof mailboxCheckSchema>;

export const mailImportSchema = z.object({
  id: z.number(),
  messageId: z.string(),
  source: z.enum(MAIL_IMPORT_SOURCES),
  from: z.string(),
  subject: z.string(),
  outcome: z.enum(MAIL_IMPORT_OUTCOMES),
  ticketId: z.number().nullable(),
  reason: z.string().nullable(),
  attempts: z.number(),
  /** Whether the raw message is still kept (a failed one, for the retry and for IT to look at). */
  rawKept: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MailImportDto = z.infer<typeof mailImportSchema>;

/** GET /api/v1/mail/imports?outcome=&cursor=&limit=: newest first; `cursor` is the previous page's `nextCursor`. */
export const mailImportsQuerySchema = z.object({
  outcome: z.enum(MAIL_IMPORT_OUTCOMES).optional(),
  cursor: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const mailImportsSchema = z.object({
  imports: z.array(mailImportSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.number().nullable(),
  /** How many messages the log holds of each outcome (whatever the filter). */
  counts: z.record(z.enum(MAIL_IMPORT_OUTCOMES), z.number()),
});
export type MailImportsDto = z.infer<typeof mailImportsSchema>;

export const mailboxEndpoints = endpointGroup('mail', {
  getMailbox: {
    summary: 'Email in: how mail reaches the help desk (admin); the IMAP password is never returned',
    responses: { 200: mailboxSettingsSchema },
  },
  putMailbox: {
    summary: 'Change how mail reaches the help desk: off, an IMAP mailbox or the SMTP listener (admin)',
    body: putMailboxSchema,
    responses: { 200: mailboxSettingsSchema },
  },
  testMailbox: {
    summary: 'Check the mailbox (or the listener address) with the saved settings overlaid by unsaved ones (admin)',
    body: testMailboxRequestSchema,
    responses: { 200: mailboxCheckSchema },
  },
  listMailImports: {
    summary: 'The import log: what became of each incoming message, newest first (admin)',
    query: mailImportsQuerySchema,
    responses: { 200: mailImportsSchema },
  },
  retryMailImport: {
    summary:
      'Import a failed message again now, from the bytes the log kept, with the settings of now (admin); answers its log row',
    params: idParams,
    responses: { 200: mailImportSchema },
    errors: [404, 409],
  },
});
