/*
 * The seam between what decides to send mail (notifications, the inbound mailbox's "this address is not
 * served" answer, the settings screen's test message) and the outbox that sends it (SMTP via nodemailer,
 * with retries and a failure log). Whoever enqueues never talks to SMTP; the outbox derives the threading
 * headers from `ticketId` (src/shared/mail/mail-reference.ts) and marks every message it sends with
 * DESKSIDE_MAIL_HEADER so the inbound side recognises its own mail coming back (loops).
 */

/** The header on every message Deskside sends; an incoming message carrying it is Deskside's own. */
export const DESKSIDE_MAIL_HEADER = 'X-Deskside-Mail';

/** One message to send. */
export interface OutgoingMail {
  /** Deduplication: a key already in the outbox is not queued again (e.g. `reply:<eventId>:<email>`). */
  key: string;
  /** What it is, for the failure log and counts (`notify.reply`, `inbound.not-served`, `test`…). */
  kind: string;
  to: string;
  subject: string;
  /** Plain text; the outbox renders the HTML part from it unless `html` is given. */
  text: string;
  html?: string;
  /** The ticket it is about: tagged subject, Message-ID, In-Reply-To and References name it. */
  ticketId?: number | null;
  /** A message this one answers (e.g. an incoming mail's Message-ID), added to In-Reply-To/References. */
  inReplyTo?: string | null;
  /** Auto-Submitted: auto-replied for answers to incoming mail, auto-generated for notifications. */
  autoSubmitted?: 'auto-generated' | 'auto-replied';
}

/** Where mail is queued. */
export interface MailQueue {
  /** Queues a message; `queued: false` when its key was already queued (nothing new to send). */
  enqueue(mail: OutgoingMail): Promise<{ queued: boolean }>;
}

/** The help desk's own mail identity, as IT configured it. */
export interface MailIdentity {
  /** The From address (the help-desk mailbox), or null while mail is not configured. */
  address(): Promise<string | null>;
  /** The domain of Deskside's Message-IDs (from the From address, or the server's public host). */
  domain(): Promise<string>;
}
